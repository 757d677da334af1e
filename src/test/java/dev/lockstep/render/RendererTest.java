package dev.lockstep.render;

import static dev.lockstep.render.RenderResults.find;
import static dev.lockstep.render.RenderResults.ok;
import static dev.lockstep.render.RenderResults.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSources;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.Revision;
import dev.lockstep.render.kustomize.KustomizeRenderer;
import dev.lockstep.render.kustomize.KustomizeTools;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.KustomizeAvailable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The render step's engine choice, output and cache over real git repositories and the real kustomize. */
class RendererTest {
    @TempDir
    Path tmp;

    GitRepoFixture repo;
    GitSources sources;
    GitSource git;
    Renderer renderer;

    @BeforeEach
    void setUp() {
        assumeKustomize();
        repo = GitRepoFixture.create(tmp.resolve("repo"));
        sources = new GitSources(tmp.resolve("cache"));
        git = sources.of(new dev.lockstep.git.RepoSpec(repo.url(), "main", dev.lockstep.git.GitCredentials.none()));
        renderer = new Renderer(
                new KustomizeRenderer(tmp.resolve("cache/render"), new KustomizeTools()), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        if (sources != null) {
            sources.close();
        }
    }

    static void assumeKustomize() {
        KustomizeAvailable.assume();
    }

    @Test
    void anOverlayIsRenderedByKustomizeWithItsBaseOutsideThePath() throws Exception {
        OverlayRepo.write(repo, "v1", "hello");
        Revision v1 = git.revision(publish("v1"));

        RenderResult.Ok ok = ok(render(v1, OverlayRepo.OVERLAY));
        List<Manifest> objects = parse(ok, "shop");

        assertThat(ok.rendered().engine()).startsWith("kustomize v");
        assertThat(objects)
                .extracting(m -> m.key().kind() + "/" + m.key().name())
                .containsExactlyInAnyOrder(
                        "ConfigMap/" + configMapName(objects), "Service/prod-web", "Deployment/prod-web");
        assertThat(configMapName(objects)).matches("prod-web-config-[a-z0-9]{10}");
        Manifest deployment = find(objects, "Deployment");
        assertThat(deployment.file()).isEqualTo("deploy/base/deployment.yaml");
        assertThat(find(objects, "ConfigMap").file())
                .isEqualTo(OverlayRepo.OVERLAY + "/kustomization.yaml (generated)");
        assertThat(deployment.location()).isEqualTo("deploy/base/deployment.yaml");
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) deployment.body().get("metadata");
        assertThat(String.valueOf(metadata.get("annotations"))).doesNotContain("config.kubernetes.io/origin");
        assertThat(String.valueOf(deployment.body()))
                .contains("registry.example.com/web:v1", "replicas=2", configMapName(objects));
        assertThat(deployment.key().namespace()).isEqualTo("shop");
    }

    @Test
    void aCommitThatChangesNothingTheAppReadsReusesTheRenderAndABaseChangeRendersAgain() throws Exception {
        OverlayRepo.write(repo, "v1", "hello");
        Revision v1 = git.revision(publish("v1"));
        assertThat(ok(render(v1, OverlayRepo.OVERLAY)).cached()).isFalse();

        repo.write("docs/README.md", "unrelated");
        Revision docs = git.revision(publish("docs only"));
        RenderResult.Ok again = ok(render(docs, OverlayRepo.OVERLAY));
        assertThat(again.cached()).isTrue();
        assertThat(again.took()).isZero();

        repo.write(
                "deploy/base/service.yaml",
                "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
                        + "  selector: {app: web}\n  ports: [{port: 8080}]\n");
        Revision base = git.revision(publish("base port"));
        RenderResult.Ok changed = ok(render(base, OverlayRepo.OVERLAY));
        assertThat(changed.cached()).isFalse();
        assertThat(String.valueOf(find(parse(changed, "shop"), "Service").body()))
                .contains("8080");
    }

    @Test
    void autoRendersEachSubdirectoryWithAKustomizationAsOneUnitBesidePlainFiles() throws Exception {
        repo.write("apps/plain.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\ndata: {a: '1'}\n");
        repo.write("apps/kustomized/kustomization.yaml", "namePrefix: k-\nresources: [cm.yaml]\n");
        repo.write("apps/kustomized/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n");
        repo.write("apps/kustomized/ignored.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ignored}\n");
        Revision head = git.revision(publish("mixed"));

        List<Manifest> objects = parse(ok(render(head, "apps")), "shop");

        assertThat(objects).extracting(m -> m.key().name()).containsExactlyInAnyOrder("plain", "k-cm");
    }

    @Test
    void plainFilesStayPlainAndCarryNoEngine() throws Exception {
        repo.write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n");
        Revision head = git.revision(publish("plain"));

        RenderResult.Ok ok = ok(render(head, "app"));

        assertThat(ok.rendered().engine()).isEmpty();
        assertThat(ok.rendered().outputs()).isEmpty();
        assertThat(parse(ok, "shop")).extracting(Manifest::location).containsExactly("app/cm.yaml:1");
    }

    @Test
    void aFailingBuildIsRefusedWithKustomizesMessageNamingTheKustomizationAndRepositoryPaths() throws Exception {
        repo.write("app/kustomization.yaml", "resources: [missing.yaml]\n");
        Revision head = git.revision(publish("broken"));

        RenderResult result = render(head, "app").orElseThrow();

        assertThat(result).isInstanceOf(RenderResult.Refused.class);
        String message = ((RenderResult.Refused) result).errors().get(0);
        assertThat(message).startsWith("kustomize build app/kustomization.yaml failed (exit 1): ");
        assertThat(message).contains("missing.yaml").doesNotContain(tmp.toString());
    }

    @Test
    void theCopyKustomizeReadsHoldsOnlyWhatTheAppReadsAndOneCommitPerApp() throws Exception {
        OverlayRepo.write(repo, "v1", "hello");
        repo.write("other-app/secret-ish.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n");
        Revision v1 = git.revision(publish("v1"));
        ok(render(v1, OverlayRepo.OVERLAY));
        OverlayRepo.write(repo, "v2", "hello");
        Revision v2 = git.revision(publish("v2"));
        ok(render(v2, OverlayRepo.OVERLAY));

        Path appDir = tmp.resolve("cache/render/shop");
        try (var copies = Files.list(appDir)) {
            List<Path> dirs = copies.toList();
            assertThat(dirs).hasSize(1);
            assertThat(dirs.get(0).getFileName().toString()).startsWith(v2.commit());
            assertThat(dirs.get(0).resolve("deploy/base/deployment.yaml")).exists();
            assertThat(dirs.get(0).resolve("other-app")).doesNotExist();
        }
    }

    private String publish(String message) {
        String head = repo.commit(message);
        try {
            git.fetch();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return head;
    }

    private Optional<RenderResult> render(Revision commit, String path) throws Exception {
        return renderer.render("shop", RenderSpec.DEFAULT, path, new GitTree(git, commit.commit()));
    }

    private static String configMapName(List<Manifest> objects) {
        return find(objects, "ConfigMap").key().name();
    }
}
