package dev.lockstep.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.TemplateChange;
import dev.lockstep.testing.FakeCluster;
import dev.lockstep.util.Tree;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** StatefulSet, DaemonSet and Job rollouts followed by {@link RolloutTracker}, on status shapes from a real cluster. */
class WorkloadRolloutTrackerTest {
    private static final ResourceKey WEB = ResourceKey.of("apps/v1", "StatefulSet", "probe", "web");
    private static final ResourceKey AGENT = ResourceKey.of("apps/v1", "DaemonSet", "probe", "agent");
    private static final ResourceKey BAD = ResourceKey.of("batch/v1", "Job", "probe", "bad");
    private static final Instant APPLIED_AT = Instant.parse("2026-11-27T00:30:00Z");
    private static final String V1_COMMIT = "abc1234" + "0".repeat(33);
    private static final Revision REVERT = new Revision(
            "cde3456" + "0".repeat(33),
            "Revert \"image v2\"",
            "Revert \"image v2\"\n\nThis reverts commit bcd2345.\n",
            "Ada",
            "ada@example.com",
            APPLIED_AT);

    private final FakeCluster cluster = new FakeCluster();

    private RolloutTracker trackerAt(Instant now) {
        return new RolloutTracker(cluster, cluster, cluster, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aStatefulSetRollbackReusesItsControllerRevisionAndLockstepRelabelsIt() {
        Map<String, Object> sts = managed(WorkloadRolloutsTest.shape("statefulset-healthy"));
        Tree.ensureMap(sts, "metadata", "annotations")
                .putAll(Map.of(
                        MetadataKeys.CHANGE_CAUSE,
                                "cde3456 Revert \"image v2\" (rollback to revision 1, commit abc1234)",
                        MetadataKeys.COMMIT, REVERT.commit(),
                        MetadataKeys.ROLLBACK_REVISION, "1"));
        cluster.put(WEB, sts);
        cluster.controllerRevisions(
                "StatefulSet probe/web",
                List.of(
                        revision("web-747fd55564", 2, "bcd2345 image v2", "bcd2345" + "0".repeat(33)),
                        revision("web-7f4b9b957", 3, "abc1234 first commit", V1_COMMIT)));
        var followed = rollback(WEB, "web-7f4b9b957");

        var finished = trackerAt(APPLIED_AT.plusSeconds(5)).ended(List.of(followed));

        assertThat(finished).singleElement().satisfies(f -> {
            assertThat(f.status().state()).isEqualTo(RolloutState.HEALTHY);
            assertThat(f.status().revision()).isEqualTo(3);
            assertThat(f.replicaSet()).isEqualTo("web-7f4b9b957");
            assertThat(f.reused()).isTrue();
            assertThat(f.result()).isEqualTo("rolled back to 1");
        });
        var relabelled =
                cluster.ownedBy("probe", "StatefulSet", "web", Map.of()).get(1);
        assertThat(relabelled.annotations())
                .containsEntry(
                        MetadataKeys.CHANGE_CAUSE,
                        "cde3456 Revert \"image v2\" (rollback to revision 1, commit abc1234)")
                .containsEntry(MetadataKeys.COMMIT, REVERT.commit())
                .containsEntry(MetadataKeys.ROLLBACK_REVISION, "1");
        assertThat(relabelled.template()).isEqualTo(Map.of("spec", Map.of("containers", List.of())));
    }

    /** Lockstep's own revert of a failed rollout says so in the history, as for a Deployment. */
    @Test
    void anAutomaticRevertOfADaemonSetSaysSoInItsResult() {
        cluster.put(AGENT, managed(WorkloadRolloutsTest.shape("daemonset-healthy")));
        cluster.controllerRevisions(
                "DaemonSet probe/agent",
                List.of(
                        revision("agent-595cb644d7", 2, "bcd2345 image v2", "bcd2345" + "0".repeat(33)),
                        revision("agent-747945c7b6", 3, "abc1234 first commit", V1_COMMIT)));
        Revision automatic = new Revision(
                REVERT.commit(),
                REVERT.subject(),
                REVERT.message()
                        + "\n"
                        + dev.lockstep.model.WriteBackTrailers.of(
                                dev.lockstep.model.WriteBack.REVERT_FAILED_ROLLOUT, "image v2 failed", "hello"),
                "Lockstep",
                "lockstep@example.com",
                APPLIED_AT);
        var followed = new TrackedRollout(
                AGENT,
                automatic,
                new TemplateChange(Optional.of(new TemplateChange.ReusedReplicaSet("agent-747945c7b6", 1, V1_COMMIT))),
                APPLIED_AT,
                Optional.of("bcd2345" + "0".repeat(33)),
                Optional.empty());

        var finished = trackerAt(APPLIED_AT.plusSeconds(5)).ended(List.of(followed));

        assertThat(finished).singleElement().satisfies(f -> {
            assertThat(f.status().state()).as(f.status().message()).isEqualTo(RolloutState.HEALTHY);
            assertThat(f.reused()).isTrue();
            assertThat(f.result()).isEqualTo("rolled back to 1, automatic: rollout of bcd2345 failed");
        });
    }

    @Test
    void aDaemonSetThatStaysUnavailableFailsAtItsProgressDeadline() {
        Map<String, Object> ds = managed(WorkloadRolloutsTest.shape("daemonset-v2-unready"));
        Tree.ensureMap(ds, "metadata", "annotations").put(MetadataKeys.PROGRESS_DEADLINE, "60");
        cluster.put(AGENT, ds);
        cluster.controllerRevisions(
                "DaemonSet probe/agent",
                List.of(
                        revision("agent-747945c7b6", 1, "abc1234 first commit", V1_COMMIT),
                        revision("agent-595cb644d7", 2, "bcd2345 image v2", "bcd2345" + "0".repeat(33))));
        var followed = follow(AGENT, new TemplateChange(Optional.empty()));

        assertThat(trackerAt(APPLIED_AT.plusSeconds(59)).ended(List.of(followed)))
                .isEmpty();
        var finished = trackerAt(APPLIED_AT.plusSeconds(60)).ended(List.of(followed));

        assertThat(finished).singleElement().satisfies(f -> {
            assertThat(f.status().state()).isEqualTo(RolloutState.FAILED);
            assertThat(f.status().message())
                    .isEqualTo("daemonset \"agent\" exceeded its progress deadline (60s): Waiting for daemon set"
                            + " \"agent\" rollout to finish: 0 of 1 updated pods are available...");
            assertThat(f.status().revision()).isEqualTo(2);
            assertThat(f.replicaSet()).isEqualTo("agent-595cb644d7");
            assertThat(f.result()).isEqualTo("failed");
        });
        assertThat(cluster.calls("annotateControllerRevision")).isEmpty();
    }

    @Test
    void aFailedJobEndsWithTheControllersMessageAndNoRevisionToList() {
        cluster.put(BAD, managed(WorkloadRolloutsTest.shape("job-backoff-limit")));

        var finished =
                trackerAt(APPLIED_AT.plusSeconds(5)).ended(List.of(follow(BAD, new TemplateChange(Optional.empty()))));

        assertThat(finished).singleElement().satisfies(f -> {
            assertThat(f.status().state()).isEqualTo(RolloutState.FAILED);
            assertThat(f.status().message())
                    .isEqualTo("job \"bad\" failed: BackoffLimitExceeded: Job has reached the specified backoff limit");
            assertThat(f.result()).isEqualTo("failed");
        });
        assertThat(cluster.calls("listControllerRevisions")).isEmpty();
    }

    @Test
    void aStatefulSetRollbackStuckOnABrokenPodReplacesItAsKubernetesDocumentsTheForcedRollback() {
        Map<String, Object> sts = managed(WorkloadRolloutsTest.shape("statefulset-v2-unready"));
        // After the revert the controller points updateRevision at the reused revision; web-1 (v2) stays un-ready.
        Tree.ensureMap(sts, "status").put("updateRevision", "web-7f4b9b957");
        cluster.put(WEB, sts);

        assertThat(trackerAt(APPLIED_AT.plusSeconds(5)).ended(List.of(rollback(WEB, "web-7f4b9b957"))))
                .isEmpty();
        assertThat(cluster.calls("deleteUnreadyPods")).containsExactly("deleteUnreadyPods probe not at web-7f4b9b957");

        cluster.clearCalls();
        trackerAt(APPLIED_AT.plusSeconds(5)).ended(List.of(follow(WEB, new TemplateChange(Optional.empty()))));
        assertThat(cluster.calls("deleteUnreadyPods"))
                .as("only a rollback replaces pods")
                .isEmpty();
    }

    @Test
    void aNewTemplateAfterAFailedStatefulSetRolloutReplacesThePodsTheFailureLeftUnready() {
        Map<String, Object> sts = managed(WorkloadRolloutsTest.shape("statefulset-v2-unready"));
        Tree.ensureMap(sts, "metadata").put("generation", 4);
        Tree.ensureMap(sts, "status").put("observedGeneration", 3); // v4 applied, not yet taken up
        Tree.ensureMap(sts, "status").put("updateRevision", "web-5d8c7b6f4");
        cluster.put(WEB, sts);
        TrackedRollout v4 = follow(WEB, new TemplateChange(Optional.empty()));

        trackerAt(APPLIED_AT.plusSeconds(5)).ended(List.of(v4), Set.of(WEB));
        assertThat(cluster.calls("deleteUnreadyPods"))
                .as("the update revision is not yet the new template's")
                .isEmpty();

        cluster.edit(WEB, live -> {
            Tree.ensureMap(live, "status").put("observedGeneration", 4);
            Tree.ensureMap(live, "status").put("updateRevision", "web-6c9d8e7a5");
        });
        assertThat(trackerAt(APPLIED_AT.plusSeconds(6)).ended(List.of(v4), Set.of(WEB)))
                .isEmpty();
        assertThat(cluster.calls("deleteUnreadyPods")).containsExactly("deleteUnreadyPods probe not at web-6c9d8e7a5");

        cluster.clearCalls();
        trackerAt(APPLIED_AT.plusSeconds(7)).ended(List.of(v4), Set.of());
        assertThat(cluster.calls("deleteUnreadyPods"))
                .as("a new template after a rollout that did not fail replaces nothing")
                .isEmpty();
    }

    private static TrackedRollout rollback(ResourceKey key, String reused) {
        return follow(key, new TemplateChange(Optional.of(new TemplateChange.ReusedReplicaSet(reused, 1, V1_COMMIT))));
    }

    private static TrackedRollout follow(ResourceKey key, TemplateChange change) {
        return new TrackedRollout(key, REVERT, change, APPLIED_AT, Optional.empty(), Optional.empty());
    }

    private static ControllerRevisionInfo revision(String name, long number, String cause, String commit) {
        return new ControllerRevisionInfo(
                name,
                "uid-" + name,
                number,
                Map.of(MetadataKeys.CHANGE_CAUSE, cause, MetadataKeys.COMMIT, commit),
                Map.of("spec", Map.of("containers", List.of())),
                APPLIED_AT.minus(Duration.ofHours(1)));
    }

    private static Map<String, Object> managed(Map<String, Object> object) {
        Tree.ensureMap(object, "metadata", "labels").put(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE);
        return object;
    }
}
