package dev.lockstep.reconcile.pass;

import static dev.lockstep.reconcile.engine.PassFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.TemplateChange;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.engine.PassFixture;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.TrackedRollout;
import dev.lockstep.testing.Workloads;
import dev.lockstep.util.Tree;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A StatefulSet in a pass: followed like a Deployment, superseded by a new commit, part of the app's health. */
class WorkloadPassTest {
    private static final ResourceKey DB = ResourceKey.of("apps/v1", "StatefulSet", NS, "db");

    @TempDir
    Path tmp;

    private PassFixture f;

    @BeforeEach
    void setUp() {
        f = new PassFixture(tmp);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private String commitDb(String image, String message) {
        f.repo.write("app/db.yaml", Workloads.statefulSet("db", image));
        return f.repo.commit(message);
    }

    @Test
    void aNewCommitSupersedesAStatefulSetRolloutStillFollowed() {
        commitDb("db:v1", "db v1");
        f.reconciler().reconcile();
        String v2 = commitDb("db:v2", "db v2");
        Revision v1 = new Revision("1".repeat(40), "db v1", "db v1", "Ada", "ada@example.com", Instant.EPOCH);
        TrackedRollout following = new TrackedRollout(
                DB, v1, new TemplateChange(Optional.empty()), Instant.EPOCH, Optional.empty(), Optional.empty());
        Pass pass = Pass.start(Pass.Mode.RECONCILE, AppState.initial().withRollouts(Map.of(DB, following)));
        for (Step step : f.steps.all()) {
            if (step instanceof RecordState) {
                break;
            }
            pass = step.run(pass).pass();
        }

        assertThat(pass.superseded()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("StatefulSet");
            assertThat(e.workload()).isEqualTo(NS + "/db");
            assertThat(e.result()).isEqualTo("superseded by " + v2.substring(0, 7));
        });
        assertThat(pass.state().rollouts().get(DB).commit().commit()).isEqualTo(v2);
    }

    /**
     * The issue-19 story: v1's rollout fails (its pod never Ready), then a new commit fixes the template. The
     * OrderedReady controller would wait on the broken pod forever; once it has taken up the new template, Lockstep
     * deletes the pods not Ready and not at the update revision, as Kubernetes documents after any template fix.
     */
    @Test
    void aNewCommitAfterAFailedStatefulSetRolloutReplacesTheBrokenPodsOnceTheControllerTookItUp() {
        commitDb("db:v1", "db v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        f.now.set(PassFixture.NOW.plusSeconds(60));
        app.refreshRollouts();
        assertThat(f.cluster.load("hello").orElseThrow().history())
                .singleElement()
                .satisfies(e -> assertThat(e.result()).isEqualTo("failed"));

        commitDb("db:v2", "db v2, fixed");
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        f.cluster.clearCalls();
        // The controller takes v2 up: a new update revision, while pod db-1 (v1) is still not Ready.
        f.cluster.edit(
                DB,
                live -> Tree.ensureMap(live, "status")
                        .putAll(Map.of(
                                "observedGeneration", 2,
                                "replicas", 2,
                                "readyReplicas", 1,
                                "currentRevision", "db-v0",
                                "updateRevision", "db-v2")));
        f.now.set(PassFixture.NOW.plusSeconds(65));
        app.refreshRollouts();

        assertThat(f.cluster.calls("deleteUnreadyPods")).containsExactly("deleteUnreadyPods " + NS + " not at db-v2");
    }

    @Test
    void aStatefulSetTheControllerHasNotObservedKeepsTheAppProgressing() {
        commitDb("db:v1", "db v1");
        AppReconciler app = f.reconciler();

        app.reconcile();

        // No StatefulSet controller runs against the fake: the status never shows the spec observed.
        var db = app.status().workloads().get("StatefulSet/" + NS + "/db");
        assertThat(db.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(db.message()).isEqualTo("Waiting for statefulset spec update to be observed...");
        assertThat(app.status().health()).isEqualTo(AppHealth.PROGRESSING);
        assertThat(app.status().message()).contains("Waiting for statefulset spec update to be observed...");
    }

    /**
     * A daemon restarted while a StatefulSet rolls out: the new process follows the rollout again, with its deadline
     * from the original apply (the applied-at annotation), so a set that never becomes ready is still reported failed.
     */
    @Test
    void aRestartedDaemonStillFailsAStatefulSetRolloutPastItsDeadline() {
        String v1 = commitDb("db:v1", "db v1");
        f.reconciler().reconcile(); // applied at NOW; the fake's StatefulSet never becomes ready

        AppReconciler restarted = f.restartedAt(PassFixture.NOW.plusSeconds(60));
        restarted.reconcile();

        var db = restarted.status().workloads().get("StatefulSet/" + NS + "/db");
        assertThat(db.state()).as(restarted.status().toString()).isEqualTo(RolloutState.FAILED);
        assertThat(db.message())
                .isEqualTo("rollout of " + v1.substring(0, 7)
                        + " failed: Waiting for statefulset spec update to be observed...");
        assertThat(restarted.status().health()).isEqualTo(AppHealth.FAILED);
        assertThat(f.cluster.load("hello").orElseThrow().history())
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.isOf(DB)).isTrue();
                    assertThat(e.commit()).isEqualTo(v1);
                    assertThat(e.result()).isEqualTo("failed");
                });
    }

    @Test
    void aRestartedDaemonFollowsAStatefulSetRolloutWithinItsDeadlineAgain() {
        commitDb("db:v1", "db v1");
        f.reconciler().reconcile();

        AppReconciler restarted = f.restartedAt(PassFixture.NOW.plusSeconds(5));
        restarted.reconcile();

        var db = restarted.status().workloads().get("StatefulSet/" + NS + "/db");
        assertThat(db.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(f.cluster.load("hello").orElseThrow().history()).isEmpty();
    }

    /** A rollout the record says ended is not followed again: a set un-ready later (a pod died) is not failed. */
    @Test
    void aRolloutTheRecordSaysEndedIsNotFollowedAgainAfterARestart() {
        String v1 = commitDb("db:v1", "db v1");
        f.reconciler().reconcile();
        var record = f.cluster.load("hello").orElseThrow();
        f.cluster.save(
                "hello",
                record.withHistory(java.util.List.of(new dev.lockstep.model.HistoryEntry(
                        "StatefulSet", NS + "/db", 1, "db-1", v1, "db v1", "Ada", PassFixture.NOW, "rolled out"))));

        AppReconciler restarted = f.restartedAt(PassFixture.NOW.plusSeconds(60));
        restarted.reconcile();

        assertThat(restarted
                        .status()
                        .workloads()
                        .get("StatefulSet/" + NS + "/db")
                        .state())
                .isEqualTo(RolloutState.PROGRESSING);
        assertThat(restarted.status().health()).isEqualTo(AppHealth.PROGRESSING);
    }
}
