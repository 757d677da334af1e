package dev.lockstep.reconcile.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.testing.FakeCluster;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.HelloApp;
import dev.lockstep.testing.TestApps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daemon restarted in place, as the Engine wires it: the cacheDir it left makes the restart cheap, never different. */
class RestartWithParseCacheTest {
    @TempDir
    Path tmp;

    @Test
    void aRestartOnTheCacheDirItsPredecessorLeftSendsNoDryRunAndNoWrite() throws IOException {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", HelloApp.deployment("hello:v1"));
        repo.write("app/config.yaml", HelloApp.configMap("settings", "1"));
        repo.commit("v1");
        FakeCluster cluster = new FakeCluster();
        LockstepConfig config = new LockstepConfig(
                List.of(TestApps.hello(repo, "shop")), tmp.resolve("cache"), "lockstep", 0, Optional.empty(), 2);

        PassOutcome first;
        try (Engine engine = new Engine(config, cluster.port(), ReconcileListener.NONE, Clock.systemUTC())) {
            first = engine.apps().get(0).reconcile();
        }
        cluster.clearCalls();
        PassOutcome restarted;
        try (Engine engine = new Engine(config, cluster.port(), ReconcileListener.NONE, Clock.systemUTC())) {
            restarted = engine.apps().get(0).reconcile();
        }

        // the restart kept the record's fingerprints without digesting again: they still let the next process skip
        repo.write("README.md", "docs only\n");
        repo.commit("docs");
        PassOutcome again;
        try (Engine engine = new Engine(config, cluster.port(), ReconcileListener.NONE, Clock.systemUTC())) {
            again = engine.apps().get(0).reconcile();
        }

        assertThat(first).isEqualTo(PassOutcome.APPLIED);
        assertThat(again).isEqualTo(PassOutcome.UNCHANGED);
        assertThat(restarted).isEqualTo(PassOutcome.UNCHANGED);
        assertThat(cluster.calls())
                .as("a restart on an in-sync cluster")
                .noneMatch(c -> c.startsWith("dryRun") || c.startsWith("apply") || c.startsWith("delete"));
        try (Stream<Path> kept = Files.list(tmp.resolve("cache/parsed"))) {
            assertThat(kept).as("the parse kept for the restart").hasSize(1);
        }
        repo.close();
    }
}
