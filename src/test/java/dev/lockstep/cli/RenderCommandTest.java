package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.render.OverlayRepo;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.KustomizeAvailable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep render} and {@code validate} of a kustomization, and the start-up check of kustomize's version. */
class RenderCommandTest {
    @TempDir
    Path tmp;

    GitRepoFixture repo;

    @BeforeEach
    void kustomize() {
        KustomizeAvailable.assume();
        repo = GitRepoFixture.create(tmp.resolve("repo"));
    }

    @Test
    void renderPrintsWhatWouldBeAppliedWithSecretValuesMaskedUnlessAsked() throws Exception {
        OverlayRepo.write(repo, "v1", "hello").write(OverlayRepo.OVERLAY + "/kustomization.yaml", """
                        namePrefix: prod-
                        resources: [../../base]
                        images: [{name: registry.example.com/web, newTag: v1}]
                        secretGenerator:
                          - name: db
                            literals: [PASSWORD=hunter2-canary]
                        """);
        String head = repo.commit("web v1");

        CliTest.Result masked = CliTest.run("render", "--config", config("").toString(), "--app", "shop");

        assertThat(masked.code()).as(masked.err()).isZero();
        assertThat(masked.out())
                .startsWith("# app shop, commit " + head.substring(0, 7) + " \"web v1\", rendered by kustomize v")
                .contains("# Source: deploy/base/deployment.yaml\n", "image: registry.example.com/web:v1")
                .contains("# Source: " + OverlayRepo.OVERLAY + "/kustomization.yaml (generated)")
                .contains("namespace: shop")
                .doesNotContain("hunter2-canary", "aHVudGVyMi1jYW5hcnk=", "config.kubernetes.io/origin");

        CliTest.Result shown =
                CliTest.run("render", "--config", config("").toString(), "--app", "shop", "--show-secrets");
        assertThat(shown.code()).isZero();
        assertThat(shown.out()).contains("aHVudGVyMi1jYW5hcnk="); // base64 of the literal, as kustomize writes it
    }

    @Test
    void aRefusedRenderExitsThreeNamingTheKustomization() throws Exception {
        repo.write("deploy/app/kustomization.yaml", "resources: [../../../outside]\n");
        repo.commit("leaves the repository");

        CliTest.Result r =
                CliTest.run("render", "--config", config("deploy/app").toString());

        assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .contains("deploy/app/kustomization.yaml: resources: '../../../outside' leaves the repository");
    }

    @Test
    void anAppThatNamesAMissingOrTooOldKustomizeIsAConfigErrorAtStart() throws Exception {
        repo.write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n");
        repo.commit("plain");
        Path old = tmp.resolve("kustomize-v3");
        Files.writeString(old, "#!/bin/sh\necho '{Version:kustomize/v3.9.4 GitCommit:abc BuildDate:2021-02-07}'\n");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rwxr-xr-x"));

        CliTest.Result tooOld = CliTest.run(
                "render",
                "--config",
                config("app", "render: {kustomize: {command: [" + old + ", build]}}")
                        .toString());
        CliTest.Result missing = CliTest.run(
                "render",
                "--config",
                config("app", "render: {engine: kustomize, kustomize: {command: [/nonexistent/kustomize, build]}}")
                        .toString());

        assertThat(tooOld.code()).isEqualTo(ExitCode.USAGE);
        assertThat(tooOld.err())
                .contains("app shop: render.kustomize: " + old + " build is kustomize v3.9.4; Lockstep needs kustomize"
                        + " v4 or later");
        assertThat(missing.code()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err())
                .contains("app shop: render.kustomize: kustomize is not available: cannot run"
                        + " '/nonexistent/kustomize build'");
    }

    @Test
    void validateRendersAKustomizationLikeTheDaemon() throws Exception {
        OverlayRepo.write(repo, "v1", "hello");
        repo.commit("web v1");

        CliTest.Result r =
                CliTest.run("validate", repo.dir().resolve(OverlayRepo.OVERLAY).toString(), "--namespace", "shop");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("rendered by kustomize v", "3 objects valid")
                .contains("Deployment/shop/prod-web  (deploy/base/deployment.yaml)");
    }

    private Path config(String path) throws Exception {
        return config(path.isEmpty() ? OverlayRepo.OVERLAY : path, "");
    }

    private Path config(String path, String extra) throws Exception {
        Path file = tmp.resolve("lockstep.yaml");
        Files.writeString(file, """
                cacheDir: %s
                apps:
                  - name: shop
                    repo: {url: "%s"}
                    path: %s
                    namespace: shop
                    %s
                """.formatted(tmp.resolve("cache"), repo.url(), path, extra));
        return file;
    }
}
