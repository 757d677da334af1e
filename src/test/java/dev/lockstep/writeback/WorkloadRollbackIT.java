package dev.lockstep.writeback;

import static dev.lockstep.testing.AppWaits.awaitHealthyAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.OnFailedRollout;
import dev.lockstep.config.OnManualRollback;
import dev.lockstep.config.WriteBackSpec;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.InProcessDaemon;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import dev.lockstep.testing.Workloads;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockstep rollback} for a DaemonSet: the revision is found among its ControllerRevisions, the commit pushed,
 * and the daemon's apply makes the DaemonSet controller reuse the old ControllerRevision. A Job has no history.
 */
@RealCluster
class WorkloadRollbackIT {
    private static final Duration ROLLOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private final RecordingListener events = new RecordingListener();
    private GitRepoFixture person;
    private String remote;
    private InProcessDaemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (person != null) {
            person.close();
        }
    }

    @Test
    void lockstepRollbackOfADaemonSetPushesTheCommitAndItsOldControllerRevisionIsReused(TestCluster cluster)
            throws Exception {
        cluster.keepImagesUnready(".*:v3$");
        remote = GitRepoFixture.bareRemote(tmp.resolve("remote.git"));
        person = GitRepoFixture.create(tmp.resolve("person"));
        AppSpec hello = TestApps.hello(person, cluster.namespace());
        AppSpec spec = AppSpecs.withWriteBack(
                TestApps.fromRemote(hello, remote, Duration.ofSeconds(1)),
                Optional.of(new WriteBackSpec("Lockstep", "lockstep@example.com", Optional.empty())),
                OnFailedRollout.REPORT,
                OnManualRollback.HEAL);
        String v1 = push("agent:v1", "agent v1");
        daemon = new InProcessDaemon(cluster.client(), tmp.resolve("cache"), events);
        AppReconciler app = daemon.restart(spec);
        awaitHealthyAt(app, v1, cluster, ROLLOUT);
        String v2 = push("agent:v2", "image v2");
        awaitHealthyAt(app, v2, cluster, ROLLOUT);
        String v3 = push("agent:v3", "image v3");
        await().atMost(ROLLOUT).untilAsserted(() -> {
            assertThat(app.status().commit()).isEqualTo(v3);
            assertThat(app.status().health()).isEqualTo(AppHealth.FAILED);
        });

        StringWriter dryRun = new StringWriter();
        assertThat(lockstep(cluster, dryRun, "rollback", "agent", "--to-revision", "2", "--dry-run"))
                .as(dryRun.toString())
                .isZero();
        assertThat(dryRun.toString())
                .contains("would push onto " + v3.substring(0, 7) + ": Revert \"image v3\"")
                .contains("-          image: agent:v3")
                .contains("+          image: agent:v2");

        StringWriter pushed = new StringWriter();
        assertThat(lockstep(cluster, pushed, "rollback", "agent", "--to-revision", "2"))
                .as(pushed.toString())
                .isZero();
        RevCommit revert = remoteHead();
        assertThat(pushed.toString())
                .startsWith("pushed " + revert.name().substring(0, 7) + " Revert \"image v3\"")
                .contains("goes back to revision 2 by reusing ControllerRevision agent-");
        awaitHealthyAt(app, revert.name(), cluster, ROLLOUT);
        Map<Long, ControllerRevision> revisions = new TreeMap<>();
        cluster.client()
                .apps()
                .controllerRevisions()
                .list()
                .getItems()
                .forEach(cr -> revisions.put(cr.getRevision(), cr));
        assertThat(revisions.keySet()).containsExactly(1L, 3L, 4L);
        assertThat(revisions.get(4L).getMetadata().getAnnotations())
                .containsEntry("lockstep.dev/commit", revert.name())
                .containsEntry("lockstep.dev/rollback-of", v2);
        assertThat(events.events()).contains("rollback agent to 2 as 4 reused");

        // A Job has nothing to roll back to.
        person.pull(remote);
        person.write("app/job.yaml", Workloads.job("migrate", "migrate:v1"));
        String withJob = person.commit("add a migration");
        assertThat(person.push(remote)).isTrue();
        awaitHealthyAt(app, withJob, cluster, ROLLOUT);
        StringWriter job = new StringWriter();
        assertThat(lockstep(cluster, job, "rollback", "migrate")).isEqualTo(1);
        assertThat(job.toString()).contains("job migrate has no revision history to roll back to");
    }

    private String push(String image, String message) {
        person.pull(remote);
        person.write("app/agent.yaml", Workloads.daemonSet("agent", image));
        String sha = person.commit(message);
        assertThat(person.push(remote)).isTrue();
        return sha;
    }

    private RevCommit remoteHead() throws Exception {
        try (Git git = Git.open(tmp.resolve("remote.git").toFile())) {
            return git.log().setMaxCount(1).call().iterator().next();
        }
    }

    /** Runs a CLI command with a writeBack config on the remote; stdout then stderr go to {@code out}. */
    private int lockstep(TestCluster cluster, StringWriter out, String... args) throws Exception {
        return WriteBackCli.run(cluster, tmp, remote, out, args);
    }
}
