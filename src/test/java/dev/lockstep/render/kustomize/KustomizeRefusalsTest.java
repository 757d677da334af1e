package dev.lockstep.render.kustomize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.git.GitSource;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.render.GitTree;
import dev.lockstep.render.HelmSpec;
import dev.lockstep.render.KustomizeSpec;
import dev.lockstep.render.RenderEngine;
import dev.lockstep.render.RenderResult;
import dev.lockstep.render.RenderSpec;
import dev.lockstep.render.Renderer;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.KustomizeAvailable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Lockstep refuses to render, through {@link Renderer} over real git repositories, and the exact message a user
 * reads (on the status page, in {@code lockstep render}): each names the kustomization file and its field, or the
 * config field to change. Fake kustomize commands are small shell scripts; the cache tests use the real kustomize.
 */
class KustomizeRefusalsTest {
    private static final String OVERLAY = "deploy/overlays/prod";
    private static final String KUSTOMIZATION = OVERLAY + "/kustomization.yaml";
    private static final String BASE_DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
            """;

    @TempDir
    Path tmp;

    private GitRepoFixture repo;
    private GitSource git;

    @BeforeEach
    void repository() {
        repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("deploy/base/kustomization.yaml", "resources:\n- deployment.yaml\n");
        repo.write("deploy/base/deployment.yaml", BASE_DEPLOYMENT);
        git = new GitSource(new RepoSpec(repo.url(), "main"), tmp.resolve("cache"));
    }

    @AfterEach
    void close() {
        git.close();
        repo.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://github.com/kubernetes-sigs/kustomize/examples/multibases?ref=v1.0.6",
                "github.com/x/y//base?ref=v1",
                "git@github.com:x/y.git//base",
                // kustomize v5 reads these as remote too: github.com with a colon, any user@host:path
                "github.com:x/y//base",
                "deploy@gitlab.example.internal:team/y//base"
            })
    void aRemoteBaseIsRefusedNamingTheKustomizationAndField(String remote) throws Exception {
        repo.write(KUSTOMIZATION, "resources:\n- ../../base\n- " + remote + "\n");

        assertThat(refusal(kustomize()))
                .containsExactly(KUSTOMIZATION + ": resources: '" + remote + "' is a remote base: Lockstep does not"
                        + " fetch remote bases unless the app sets allowRemoteBases: true (then kustomize fetches it"
                        + " itself); or vendor it into the repository");
    }

    @Test
    void aRemoteBaseUnderBasesOrComponentsIsRefusedToo() throws Exception {
        repo.write(KUSTOMIZATION, "bases:\n- github.com/x/y//base?ref=v1\ncomponents:\n- https://example.com/c.git\n");

        assertThat(refusal(kustomize()))
                .containsExactly(
                        KUSTOMIZATION + ": bases: 'github.com/x/y//base?ref=v1' is a remote base: Lockstep does not"
                                + " fetch remote bases unless the app sets allowRemoteBases: true (then kustomize"
                                + " fetches it itself); or vendor it into the repository",
                        KUSTOMIZATION + ": components: 'https://example.com/c.git' is a remote base: Lockstep does"
                                + " not fetch remote bases unless the app sets allowRemoteBases: true (then kustomize"
                                + " fetches it itself); or vendor it into the repository");
    }

    @Test
    void aRemoteFileInAPatchGeneratorOrOpenapiFieldIsRefused() throws Exception {
        // kustomize loads any of these over http(s) itself (seen with kubectl kustomize v5.5.0)
        repo.write(KUSTOMIZATION, """
                resources:
                - ../../base
                patches:
                - path: http://127.0.0.1:9/patch.yaml
                configMapGenerator:
                - name: settings
                  files:
                  - app.properties=https://example.com/settings?env=prod
                openapi:
                  path: https://example.com/schema.json
                """);

        assertThat(refusal(kustomize()))
                .containsExactly(
                        KUSTOMIZATION + ": patches: 'http://127.0.0.1:9/patch.yaml' is a remote file: Lockstep does not"
                                + " let kustomize fetch files unless the app sets allowRemoteBases: true; or vendor it"
                                + " into the repository",
                        KUSTOMIZATION + ": openapi: 'https://example.com/schema.json' is a remote file: Lockstep does"
                                + " not let kustomize fetch files unless the app sets allowRemoteBases: true; or vendor"
                                + " it into the repository",
                        KUSTOMIZATION + ": configMapGenerator: 'https://example.com/settings?env=prod' is a remote"
                                + " file: Lockstep does not let kustomize fetch files unless the app sets"
                                + " allowRemoteBases: true; or vendor it into the repository");
    }

    @Test
    void aTransformersKustomizationOutsideTheOverlayIsCopiedAndRendered() throws Exception {
        KustomizeAvailable.assume();
        repo.write(KUSTOMIZATION, "resources:\n- ../../base\ntransformers:\n- ../../common\n");
        repo.write("deploy/common/kustomization.yaml", "resources:\n- labels.yaml\n");
        repo.write("deploy/common/labels.yaml", """
                apiVersion: builtin
                kind: LabelTransformer
                metadata: {name: team}
                labels: {team: shop}
                fieldSpecs:
                - path: metadata/labels
                  create: true
                """);

        RenderResult.Ok ok = ok(renderer(), repo.commit("a shared transformer"));

        assertThat(text(ok)).contains("team: shop");
    }

    @Test
    void withAllowRemoteBasesTheScanLetsKustomizeFetchIt() throws Exception {
        // a fake kustomize that fails instead of fetching: what matters is that Lockstep ran it
        Path fake = script("fake-kustomize", "echo 'fetching is not done in tests' >&2; exit 1");
        repo.write(KUSTOMIZATION, "resources:\n- ../../base\n- github.com/x/y//base?ref=v1\n");

        RenderSpec allowed = new RenderSpec(
                RenderEngine.AUTO,
                new KustomizeSpec(Optional.of(List.of(fake.toString(), "build")), Duration.ofSeconds(10)),
                HelmSpec.DEFAULT,
                true);

        assertThat(refusal(allowed))
                .containsExactly(
                        "kustomize build " + KUSTOMIZATION + " failed (exit 1): fetching is not done in tests");
    }

    @Test
    void aSymlinkedBaseIsRefused() throws Exception {
        Files.createDirectories(repo.dir().resolve("deploy/overlays"));
        Files.createSymbolicLink(repo.dir().resolve("deploy/overlays/shared"), Path.of("../base"));
        repo.write(KUSTOMIZATION, "resources:\n- ../shared\n");

        assertThat(refusal(kustomize()))
                .containsExactly(KUSTOMIZATION + ": resources: '../shared' is a symlink; Lockstep never follows"
                        + " symlinks (commit the files themselves)");
    }

    @Test
    void aSymlinkedPatchOrAPathThroughASymlinkIsRefused() throws Exception {
        Files.createDirectories(repo.dir().resolve(OVERLAY));
        Files.createSymbolicLink(repo.dir().resolve(OVERLAY + "/patch.yaml"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(repo.dir().resolve("deploy/linked"), Path.of("base"));
        repo.write(KUSTOMIZATION, "resources:\n- ../../linked/deployment.yaml\npatches:\n- path: patch.yaml\n");

        assertThat(refusal(kustomize()))
                .containsExactly(
                        KUSTOMIZATION + ": resources: '../../linked/deployment.yaml' goes through the symlink"
                                + " 'deploy/linked'; Lockstep never follows symlinks",
                        KUSTOMIZATION + ": patches: 'patch.yaml' is a symlink; Lockstep never follows symlinks"
                                + " (commit the file itself)");
    }

    @Test
    void aPathLeavingTheRepositoryIsRefused() throws Exception {
        repo.write(KUSTOMIZATION, "resources:\n- ../../base\n- ../../../../etc\n- /etc/kubernetes\n");

        assertThat(refusal(kustomize()))
                .containsExactly(
                        KUSTOMIZATION + ": resources: '../../../../etc' leaves the repository",
                        KUSTOMIZATION + ": resources: '/etc/kubernetes' is an absolute path; use a path inside the"
                                + " repository");
    }

    @Test
    void helmChartsAreRefused() throws Exception {
        repo.write(
                KUSTOMIZATION,
                "resources:\n- ../../base\nhelmCharts:\n- name: minecraft\n  repo: https://itzg.github.io/minecraft-server-charts\n");

        assertThat(refusal(kustomize()))
                .containsExactly(KUSTOMIZATION + ": helmCharts: needs kustomize's --enable-helm, which Lockstep never"
                        + " passes; deploy the chart as its own app with render.engine: helm");
    }

    @Test
    void aRenderThatHangsIsStoppedAtTheTimeoutAndKilled() throws Exception {
        Path pids = tmp.resolve("pids");
        Path hanging = script("hanging-kustomize", "sleep 30 & echo $$ $! > " + pids + "; wait");
        repo.write(KUSTOMIZATION, "resources:\n- ../../base\n");

        long start = System.nanoTime();
        List<String> errors = refusal(command(hanging, Duration.ofSeconds(1)));

        assertThat(errors)
                .containsExactly("kustomize build " + KUSTOMIZATION + ": ran past render.kustomize.timeout (1s) and"
                        + " was stopped; nothing of this commit was applied");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        for (String pid : Files.readString(pids).trim().split(" ")) {
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(pid));
            process.ifPresent(p -> p.onExit()
                    .orTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
                    .join());
            assertThat(process.map(ProcessHandle::isAlive).orElse(false))
                    .as("process %s is killed", pid)
                    .isFalse();
        }
    }

    @Test
    void outputLargerThanTheCapIsRefusedAndNothingOfItKept() throws Exception {
        Path chatty = script("chatty-kustomize", "exec yes 'kind: ConfigMap'");
        repo.write(KUSTOMIZATION, "resources:\n- ../../base\n");
        Renderer capped = new Renderer(
                new KustomizeRenderer(tmp.resolve("render"), new KustomizeTools(), 64 * 1024), Clock.systemUTC());

        RenderResult result = render(capped, command(chatty, Duration.ofSeconds(20)));

        assertThat(((RenderResult.Refused) result).errors())
                .containsExactly("kustomize build " + KUSTOMIZATION + ": printed more than 64 KiB and was stopped;"
                        + " nothing of this commit was applied");
    }

    @Test
    void missingKustomizeIsRefusedNamingTheCommandAndTheField() throws Exception {
        repo.write(KUSTOMIZATION, "resources:\n- ../../base\n");
        String missing = tmp.resolve("no-such-kustomize").toString();

        List<String> errors = refusal(command(Path.of(missing), Duration.ofSeconds(5)));

        assertThat(errors).hasSize(1);
        assertThat(errors.get(0))
                .startsWith(KUSTOMIZATION + ": kustomize is not available: cannot run '" + missing + " build' (")
                .endsWith("); install kustomize v4 or later, or set render.kustomize.command");
    }

    @Test
    void kustomizeOlderThanV4IsRefusedNamingTheVersionFoundAndNeeded() throws Exception {
        Path old = script(
                "old-kustomize",
                "echo '{Version:kustomize/v3.9.4 GitCommit:1a2b3c4 BuildDate:2021-02-09T19:22:10Z GoOs:linux"
                        + " GoArch:amd64}'");
        repo.write(KUSTOMIZATION, "resources:\n- ../../base\n");

        assertThat(refusal(command(old, Duration.ofSeconds(5))))
                .containsExactly(KUSTOMIZATION + ": " + old + " build is kustomize v3.9.4; Lockstep needs kustomize v4"
                        + " or later (set render.kustomize.command to a newer kustomize, e.g. [kustomize, build], or"
                        + " use kubectl 1.21 or later)");
    }

    @Test
    void aCommitThatChangesNothingTheAppReadsReusesTheRenderAndABaseChangeRendersAgain() throws Exception {
        KustomizeAvailable.assume();
        repo.write(KUSTOMIZATION, "resources:\n- ../../base\nnamePrefix: prod-\n");
        repo.write("README.md", "the shop\n");
        repo.write("other/app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n");
        Renderer renderer = renderer();

        RenderResult.Ok first = ok(renderer, repo.commit("v1"));
        repo.write("README.md", "the shop, deployed by Lockstep\n");
        repo.write("other/app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: renamed\n");
        RenderResult.Ok unrelated = ok(renderer, repo.commit("docs and another app"));
        repo.write("deploy/base/deployment.yaml", BASE_DEPLOYMENT.replace("nginx:1.27", "nginx:1.28"));
        RenderResult.Ok baseChanged = ok(renderer, repo.commit("v2 in the base"));

        assertThat(first.cached()).isFalse();
        assertThat(unrelated.cached()).isTrue();
        assertThat(unrelated.rendered().outputs()).isEqualTo(first.rendered().outputs());
        assertThat(baseChanged.cached()).isFalse();
        assertThat(text(baseChanged)).contains("image: nginx:1.28").contains("name: prod-web");
        assertThat(text(first)).contains("image: nginx:1.27");
    }

    // --- helpers

    private Renderer renderer() {
        return new Renderer(new KustomizeRenderer(tmp.resolve("render"), new KustomizeTools()), Clock.systemUTC());
    }

    /** The default spec: what a user gets without a render block. */
    private static RenderSpec kustomize() {
        return RenderSpec.DEFAULT;
    }

    private static RenderSpec command(Path program, Duration timeout) {
        return new RenderSpec(
                RenderEngine.AUTO,
                new KustomizeSpec(Optional.of(List.of(program.toString(), "build")), timeout),
                HelmSpec.DEFAULT,
                false);
    }

    private List<String> refusal(RenderSpec spec) throws Exception {
        RenderResult result = render(renderer(), spec);
        assertThat(result).isInstanceOf(RenderResult.Refused.class);
        return ((RenderResult.Refused) result).errors();
    }

    private RenderResult render(Renderer renderer, RenderSpec spec) throws Exception {
        String commit = repo.commit("the overlay");
        return renderer.render(
                        "shop",
                        spec,
                        OVERLAY,
                        new GitTree(git, git.fetch(commit).commit()))
                .orElseThrow();
    }

    private RenderResult.Ok ok(Renderer renderer, String commit) throws Exception {
        RenderResult result = renderer.render(
                        "shop",
                        RenderSpec.DEFAULT,
                        OVERLAY,
                        new GitTree(git, git.fetch(commit).commit()))
                .orElseThrow();
        assertThat(result).isInstanceOf(RenderResult.Ok.class);
        return (RenderResult.Ok) result;
    }

    private static String text(RenderResult.Ok ok) {
        return new String(ok.rendered().outputs().get(0).yaml(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A fake kustomize: answers {@code version} as kustomize v5.5.0 does, and runs {@code build} as given. */
    private Path script(String name, String build) throws IOException {
        Path file = tmp.resolve(name);
        String version = build.contains("kustomize/v")
                ? build
                : "echo '{Version:kustomize/v5.5.0 GitCommit:unknown BuildDate:unknown GoOs:linux GoArch:amd64}'";
        String body = build.contains("kustomize/v") ? "exit 1" : build;
        Files.writeString(
                file, "#!/bin/sh\nif [ \"$1\" = version ]; then\n  " + version + "\n  exit 0\nfi\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
