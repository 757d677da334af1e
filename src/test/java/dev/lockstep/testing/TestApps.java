package dev.lockstep.testing;

import dev.lockstep.cluster.KubeCluster;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.reconcile.engine.Engine;
import dev.lockstep.reconcile.report.ReconcileListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Config for tests: one app named "hello" reading {@code app/} of a fixture repository into the test namespace. */
public final class TestApps {
    private TestApps() {}

    public static AppSpec hello(GitRepoFixture repo, String namespace) {
        return AppSpecs.of(
                "hello",
                new RepoSpec(repo.url(), "main"),
                "app",
                namespace,
                Duration.ofMillis(500),
                true,
                true,
                Set.of(),
                Set.of(),
                0.5,
                false);
    }

    /**
     * The same app, reading {@code remote} (a bare repository the person pushes to and Lockstep writes back to) and
     * polling it every {@code interval}.
     */
    public static AppSpec fromRemote(AppSpec a, String remote, Duration interval) {
        return copy(a, new RepoSpec(remote, "main"), interval, a.selfHeal());
    }

    public static AppSpec withSelfHeal(AppSpec a, boolean selfHeal) {
        return copy(a, a.repo(), a.interval(), selfHeal);
    }

    public static AppSpec withInterval(AppSpec a, Duration interval) {
        return copy(a, a.repo(), interval, a.selfHeal());
    }

    private static AppSpec copy(AppSpec a, RepoSpec repo, Duration interval, boolean selfHeal) {
        return AppSpecs.of(
                a.name(),
                repo,
                a.path(),
                a.namespace(),
                interval,
                a.prune(),
                selfHeal,
                a.allowedNamespaces(),
                a.allowedClusterKinds(),
                a.maxPruneShare(),
                a.allowMassPrune());
    }

    /** The app's record lives in the test namespace too, so nothing outlives the test. */
    public static LockstepConfig config(AppSpec app, Path cacheDir) {
        return new LockstepConfig(List.of(app), cacheDir, app.namespace(), 0, Optional.empty(), 8);
    }

    /** An engine on the real cluster behind {@code client}, as the daemon builds it. */
    public static Engine engine(LockstepConfig config, KubernetesClient client, ReconcileListener listener) {
        return new Engine(config, KubeCluster.connect(client, config.stateNamespace()), listener, Clock.systemUTC());
    }

    /** A config file for the CLI: app "hello" on {@code repo}'s {@code app/} path, state kept in the test namespace. */
    public static Path writeConfigFile(Path dir, String namespace, GitRepoFixture repo) throws java.io.IOException {
        Path file = dir.resolve("lockstep.yaml");
        java.nio.file.Files.writeString(
                file, """
                stateNamespace: %s
                cacheDir: %s
                apps:
                  - name: hello
                    repo: {url: "%s"}
                    path: app
                    namespace: %s
                """.formatted(namespace, dir.resolve("cli-cache"), repo.url(), namespace));
        return file;
    }
}
