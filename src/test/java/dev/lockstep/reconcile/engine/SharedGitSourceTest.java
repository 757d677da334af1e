package dev.lockstep.reconcile.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.git.GitCredentials;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.git.SecretSource;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.FakeCluster;
import dev.lockstep.testing.GitHttpServer;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.HelloApp;
import dev.lockstep.testing.RecordingListener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 apps on one repository url and branch, served over smart http, counted at the server: one ls-remote per round of
 * passes and one fetch per new commit for all of them, not one per app.
 */
class SharedGitSourceTest {
    private static final int APPS = 100;
    private static final String NS = "shop";

    @TempDir
    Path tmp;

    private Path token;

    @org.junit.jupiter.api.BeforeEach
    void tokenFile() {
        token = tmp.resolve("token");
    }

    @Test
    void hundredAppsOnOneBranchShareOneLsRemoteAndOneFetch() throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        IntStream.range(0, APPS)
                .forEach(i -> repo.write("app-" + i + "/config.yaml", HelloApp.configMap("settings-" + i, "1")));
        repo.commit("100 apps");
        FakeCluster cluster = new FakeCluster();
        try (Git bare = Git.open(repo.dir().toFile());
                GitHttpServer server = GitHttpServer.start(bare.getRepository())) {
            String url = serve(server);
            List<AppSpec> apps =
                    IntStream.range(0, APPS).mapToObj(i -> app("app-" + i, url)).toList();
            LockstepConfig config = new LockstepConfig(apps, tmp.resolve("cache"), NS, 0, Optional.empty(), 4);
            try (Engine engine = new Engine(config, cluster.port(), new RecordingListener(), Clock.systemUTC())) {
                server.resetCounts();
                engine.apps().forEach(AppReconciler::reconcile);
                assertThat(cluster.object(ResourceKey.of("v1", "ConfigMap", NS, "settings-99")))
                        .as("every app applied: %s", engine.apps().get(99).status())
                        .isPresent();
                assertThat(lsRemotes(server))
                        .as("ref advertisements on the first round")
                        .isEqualTo(2);
                assertThat(server.uploads).as("one fetch for 100 apps").isEqualTo(1);

                server.resetCounts();
                engine.apps().forEach(AppReconciler::reconcile);
                assertThat(server.advertisements.get())
                        .as("one ls-remote for a round of 100 passes on an unchanged branch")
                        .isEqualTo(1);
                assertThat(server.uploads).as("nothing new to fetch").isZero();

                repo.write("app-7/config.yaml", HelloApp.configMap("settings-7", "2"));
                repo.commit("app-7 changes");
                server.resetCounts();
                engine.apps().forEach(AppReconciler::reconcile);
                assertThat(server.uploads)
                        .as("one fetch of the new commit for 100 apps")
                        .isEqualTo(1);
                assertThat(server.advertisements.get())
                        .as("one ls-remote, plus the fetch's own advertisement")
                        .isEqualTo(2);
                assertThat(cluster.object(ResourceKey.of("v1", "ConfigMap", NS, "settings-7"))
                                .orElseThrow()
                                .toString())
                        .contains("value=2");
            }
        }
    }

    @Test
    void anAppNeverWorksFromAHeadOlderThanItsOwnPreviousPass() throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("a/config.yaml", HelloApp.configMap("a", "1"));
        repo.write("b/config.yaml", HelloApp.configMap("b", "1"));
        repo.commit("two apps");
        FakeCluster cluster = new FakeCluster();
        try (Git bare = Git.open(repo.dir().toFile());
                GitHttpServer server = GitHttpServer.start(bare.getRepository())) {
            String url = serve(server);
            LockstepConfig config = new LockstepConfig(
                    List.of(app("a", url), app("b", url)), tmp.resolve("cache"), NS, 0, Optional.empty(), 2);
            try (Engine engine = new Engine(config, cluster.port(), new RecordingListener(), Clock.systemUTC())) {
                AppReconciler a = engine.apps().get(0);
                AppReconciler b = engine.apps().get(1);
                a.reconcile();
                b.reconcile(); // reuses a's head: learned after b was made
                a.reconcile(); // asks again: a never reuses its own head
                repo.write("b/config.yaml", HelloApp.configMap("b", "2"));
                repo.commit("b changes");
                server.resetCounts();
                b.reconcile(); // a's head was learned after b's previous pass started, but before the push
                a.reconcile(); // a's own head is stale: asks again and sees the push
                b.reconcile(); // learned by a after b's previous pass: reused, and new
                assertThat(server.advertisements.get())
                        .as("a's ls-remote and the fetch")
                        .isEqualTo(2);
                assertThat(cluster.object(ResourceKey.of("v1", "ConfigMap", NS, "b"))
                                .orElseThrow()
                                .toString())
                        .contains("value=2");
            }
        }
    }

    /** The url, behind a token every app reads from the same file (same credentials: one shared source). */
    private String serve(GitHttpServer server) throws java.io.IOException {
        server.setPassword(GitCredentials.TOKEN_USERNAME, "t0ken");
        java.nio.file.Files.writeString(token, "t0ken");
        return "http://127.0.0.1:" + server.port() + "/remote.git";
    }

    private static int lsRemotes(GitHttpServer server) {
        return server.advertisements.get();
    }

    private AppSpec app(String name, String url) {
        return AppSpecs.of(
                name,
                new RepoSpec(url, "main", GitCredentials.token(SecretSource.file(token))),
                name,
                NS,
                Duration.ofSeconds(30),
                true,
                true,
                Set.of(),
                Set.of(),
                0.5,
                false);
    }
}
