package dev.lockstep.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.TemplateChange;
import dev.lockstep.testing.FakeCluster;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RolloutTrackerTest {
    private static final ResourceKey WEB = deploymentKey("shop", "web");
    private static final ResourceKey API = deploymentKey("shop", "api");
    private static final Instant APPLIED_AT = Instant.parse("2024-05-02T11:30:00Z");
    private static final String OLD_DEADLINE = "2024-05-02T11:00:00Z";
    private static final String REVERTED = "abc1234" + "0".repeat(33);
    private static final Revision COMMIT = new Revision(
            "def5678" + "0".repeat(33),
            "Deploy web:3",
            "Deploy web:3\n",
            "Ada",
            "ada@example.com",
            Instant.parse("2024-05-02T11:00:00Z"));

    private final FakeCluster cluster = new FakeCluster();
    private final RolloutTracker tracker = new RolloutTracker(cluster, cluster);

    private static ResourceKey deploymentKey(String namespace, String name) {
        return ResourceKey.of("apps/v1", "Deployment", namespace, name);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    /** A Deployment of 3 replicas at generation 2 and the given revision, as the watch shows it. */
    private static Map<String, Object> deployment(ResourceKey key, long revision, Map<String, Object> status) {
        return map(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                map(
                        "name",
                        key.name(),
                        "namespace",
                        key.namespace(),
                        "generation",
                        2L,
                        "labels",
                        map(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE),
                        "annotations",
                        map(MetadataKeys.DEPLOYMENT_REVISION, Long.toString(revision))),
                "spec",
                map("replicas", 3, "selector", map("matchLabels", map("app", key.name()))),
                "status",
                status);
    }

    /** Three replicas wanted at generation 2, of which three are available; the Progressing condition varies. */
    private static Map<String, Object> status(int replicas, int updated, Map<String, Object> progressing) {
        return map(
                "observedGeneration",
                2L,
                "replicas",
                replicas,
                "updatedReplicas",
                updated,
                "availableReplicas",
                3,
                "conditions",
                List.of(progressing));
    }

    private static Map<String, Object> healthy() {
        return status(3, 3, map("type", "Progressing", "status", "True", "reason", "NewReplicaSetAvailable"));
    }

    /** One of three new pods is up; three old ones still serve. */
    private static Map<String, Object> rollingOut() {
        return status(4, 1, map("type", "Progressing", "status", "True", "reason", "ReplicaSetUpdated"));
    }

    private static Map<String, Object> deadlineExceeded(String lastUpdateTime) {
        return status(
                4,
                1,
                map(
                        "type",
                        "Progressing",
                        "status",
                        "False",
                        "reason",
                        "ProgressDeadlineExceeded",
                        "lastUpdateTime",
                        lastUpdateTime));
    }

    private static TrackedRollout tracked(
            ResourceKey key, TemplateChange change, Optional<String> reverts, Optional<String> staleDeadline) {
        return new TrackedRollout(key, COMMIT, change, APPLIED_AT, reverts, staleDeadline);
    }

    private static TrackedRollout forward(ResourceKey key) {
        return tracked(key, new TemplateChange(Optional.empty()), Optional.empty(), Optional.empty());
    }

    private static TrackedRollout rollbackTo(String replicaSet, long revision) {
        return tracked(
                WEB,
                new TemplateChange(Optional.of(new TemplateChange.ReusedReplicaSet(replicaSet, revision, REVERTED))),
                Optional.empty(),
                Optional.empty());
    }

    /** A ReplicaSet whose pod template runs the image named after it, e.g. web-2b. */
    private static ReplicaSetInfo replicaSet(String name, long revision) {
        return new ReplicaSetInfo(
                name,
                "uid-" + name,
                revision,
                Map.of(MetadataKeys.DEPLOYMENT_REVISION, Long.toString(revision)),
                template(name),
                Instant.parse("2024-04-01T00:00:00Z").plusSeconds(revision),
                3);
    }

    private static Map<String, Object> template(String image) {
        return map("spec", map("containers", List.of(map("name", "web", "image", image))));
    }

    /** The Deployment without a pod template: its ReplicaSet can only be found by revision number. */
    private void live(ResourceKey key, long revision, Map<String, Object> status) {
        cluster.put(key, deployment(key, revision, status));
    }

    /** The Deployment whose pod template is the one ReplicaSet {@code runs} has. */
    @SuppressWarnings("unchecked")
    private void live(ResourceKey key, long revision, Map<String, Object> status, String runs) {
        Map<String, Object> d = deployment(key, revision, status);
        ((Map<String, Object>) d.get("spec")).put("template", template(runs));
        cluster.put(key, d);
    }

    private static LiveObjects staleFor(FakeCluster cluster, ResourceKey stale) {
        return new LiveObjects() {
            @Override
            public void watch(String apiVersion, String kind) {
                cluster.watch(apiVersion, kind);
            }

            @Override
            public Optional<Map<String, Object>> get(String apiVersion, ResourceKey key) {
                return cluster.get(apiVersion, key);
            }

            @Override
            public void expectVersion(ResourceKey key, String resourceVersion) {}

            @Override
            public boolean isStale(ResourceKey key) {
                return key.equals(stale);
            }

            @Override
            public void onChange(Consumer<ResourceKey> listener) {}
        };
    }

    // ---- statusOf ----

    @Test
    void aDeploymentWhoseNewPodsAreNotAllUpIsProgressing() {
        RolloutStatus status = tracker.statusOf(Optional.of(forward(WEB)), WEB, deployment(WEB, 3, rollingOut()));

        assertThat(status)
                .isEqualTo(new RolloutStatus(
                        RolloutState.PROGRESSING,
                        "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...",
                        3));
    }

    @Test
    void aDeploymentWhoseSpecTheControllerHasNotSeenIsProgressing() {
        Map<String, Object> unobserved = healthy();
        unobserved.put("observedGeneration", 1L);

        RolloutStatus status = tracker.statusOf(Optional.of(forward(WEB)), WEB, deployment(WEB, 3, unobserved));

        assertThat(status.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(status.message()).isEqualTo("Waiting for deployment spec update to be observed...");
    }

    @Test
    void aDeploymentWithEveryReplicaUpdatedAndAvailableIsHealthy() {
        RolloutStatus status = tracker.statusOf(Optional.of(forward(WEB)), WEB, deployment(WEB, 3, healthy()));

        assertThat(status)
                .isEqualTo(new RolloutStatus(RolloutState.HEALTHY, "deployment \"web\" successfully rolled out", 3));
    }

    @Test
    void aDeploymentPastItsProgressDeadlineHasFailed() {
        RolloutStatus status =
                tracker.statusOf(Optional.of(forward(WEB)), WEB, deployment(WEB, 3, deadlineExceeded(OLD_DEADLINE)));

        assertThat(status)
                .isEqualTo(
                        new RolloutStatus(RolloutState.FAILED, "deployment \"web\" exceeded its progress deadline", 3));
    }

    @Test
    void aStaleProgressDeadlineFromThePreviousRolloutDoesNotFailTheNewOne() {
        TrackedRollout afterAFailure =
                tracked(WEB, new TemplateChange(Optional.empty()), Optional.empty(), Optional.of(OLD_DEADLINE));

        RolloutStatus status =
                tracker.statusOf(Optional.of(afterAFailure), WEB, deployment(WEB, 3, deadlineExceeded(OLD_DEADLINE)));

        assertThat(status)
                .isEqualTo(new RolloutStatus(
                        RolloutState.PROGRESSING, "Waiting for the controller to start the new rollout...", 3));
    }

    @Test
    void aNewProgressDeadlineAfterTheStaleOneFailsTheNewRollout() {
        TrackedRollout afterAFailure =
                tracked(WEB, new TemplateChange(Optional.empty()), Optional.empty(), Optional.of(OLD_DEADLINE));

        RolloutStatus status = tracker.statusOf(
                Optional.of(afterAFailure), WEB, deployment(WEB, 4, deadlineExceeded("2024-05-02T11:40:00Z")));

        assertThat(status.state()).isEqualTo(RolloutState.FAILED);
    }

    @Test
    void anUntrackedDeploymentIsJudgedOnItsStatusAlone() {
        RolloutStatus status =
                tracker.statusOf(Optional.empty(), WEB, deployment(WEB, 3, deadlineExceeded(OLD_DEADLINE)));

        assertThat(status.state()).isEqualTo(RolloutState.FAILED);
    }

    @Test
    void aHealthyStatusFromBeforeOurWriteIsStillProgressing() {
        RolloutTracker behindTheWrite = new RolloutTracker(staleFor(cluster, WEB), cluster);

        RolloutStatus status = behindTheWrite.statusOf(Optional.of(forward(WEB)), WEB, deployment(WEB, 2, healthy()));

        assertThat(status)
                .isEqualTo(new RolloutStatus(RolloutState.PROGRESSING, "Waiting for the rollout to start...", 2));
    }

    // ---- ended ----

    @Test
    void aRolloutStillInProgressHasNotEndedAndListsNothing() {
        live(WEB, 3, rollingOut());

        assertThat(tracker.ended(List.of(forward(WEB)))).isEmpty();
        assertThat(cluster.calls("listReplicaSets")).isEmpty();
    }

    @Test
    void aHealthyRolloutEndsAsRolledOutAtItsReplicaSet() {
        live(WEB, 3, healthy());
        cluster.replicaSets("shop/web", List.of(replicaSet("web-1a", 2), replicaSet("web-3c", 3)));

        List<FinishedRollout> done = tracker.ended(List.of(forward(WEB)));

        assertThat(done).singleElement().satisfies(f -> {
            assertThat(f.result()).isEqualTo("rolled out");
            assertThat(f.replicaSet()).isEqualTo("web-3c");
            assertThat(f.reused()).isFalse();
            assertThat(f.status().state()).isEqualTo(RolloutState.HEALTHY);
        });
    }

    @Test
    void aFailedRolloutEndsAsFailed() {
        live(WEB, 3, deadlineExceeded("2024-05-02T11:40:00Z"));
        cluster.replicaSets("shop/web", List.of(replicaSet("web-3c", 3)));

        List<FinishedRollout> done = tracker.ended(List.of(forward(WEB)));

        assertThat(done).singleElement().satisfies(f -> {
            assertThat(f.result()).isEqualTo("failed");
            assertThat(f.status().state()).isEqualTo(RolloutState.FAILED);
        });
    }

    @Test
    void aRollbackWhoseReplicaSetWasReusedEndsAsRolledBack() {
        // the controller scaled the revision-2 ReplicaSet back up and gave it the next revision
        live(WEB, 4, healthy());
        cluster.replicaSets("shop/web", List.of(replicaSet("web-2b", 4), replicaSet("web-3c", 3)));

        List<FinishedRollout> done = tracker.ended(List.of(rollbackTo("web-2b", 2)));

        assertThat(done).singleElement().satisfies(f -> {
            assertThat(f.result()).isEqualTo("rolled back to 2");
            assertThat(f.reused()).isTrue();
            assertThat(f.replicaSet()).isEqualTo("web-2b");
        });
    }

    @Test
    void aReusedReplicaSetIsFoundByItsTemplateWhileTheListStillShowsItsOldRevision() {
        // The Deployment says revision 4; the list was served before the controller renumbered web-2b from 2 to 4.
        live(WEB, 4, healthy(), "web-2b");
        cluster.replicaSets("shop/web", List.of(replicaSet("web-2b", 2), replicaSet("web-3c", 3)));

        List<FinishedRollout> done = tracker.ended(List.of(rollbackTo("web-2b", 2)));

        assertThat(done).singleElement().satisfies(f -> {
            assertThat(f.result()).isEqualTo("rolled back to 2");
            assertThat(f.reused()).isTrue();
            assertThat(f.replicaSet()).isEqualTo("web-2b");
            assertThat(f.entry().revision()).isEqualTo(4);
        });
    }

    @Test
    void aListThatDoesNotShowTheNewReplicaSetYetLeavesTheRolloutToTheNextPoll() {
        live(WEB, 4, healthy(), "web-4d");
        cluster.replicaSets("shop/web", List.of(replicaSet("web-3c", 3)));

        assertThat(tracker.ended(List.of(forward(WEB)))).isEmpty();

        cluster.replicaSets("shop/web", List.of(replicaSet("web-3c", 3), replicaSet("web-4d", 4)));
        assertThat(tracker.ended(List.of(forward(WEB))))
                .singleElement()
                .satisfies(f -> assertThat(f.replicaSet()).isEqualTo("web-4d"));
    }

    @Test
    void severalRollbacksEndingTogetherEachFindTheirOwnReusedReplicaSet() {
        live(WEB, 4, healthy(), "web-2b");
        live(API, 9, healthy(), "api-6a");
        cluster.replicaSets("shop/web", List.of(replicaSet("web-2b", 4), replicaSet("web-3c", 3)));
        cluster.replicaSets("shop/api", List.of(replicaSet("api-6a", 9), replicaSet("api-8b", 8)));
        TrackedRollout api = tracked(
                API,
                new TemplateChange(Optional.of(new TemplateChange.ReusedReplicaSet("api-6a", 6, REVERTED))),
                Optional.empty(),
                Optional.empty());

        List<FinishedRollout> done = tracker.ended(List.of(rollbackTo("web-2b", 2), api));

        assertThat(cluster.calls("listReplicaSets")).containsExactly("listReplicaSets shop");
        assertThat(done).extracting(FinishedRollout::result).containsExactly("rolled back to 2", "rolled back to 6");
        assertThat(done).extracting(FinishedRollout::replicaSet).containsExactly("web-2b", "api-6a");
    }

    @Test
    void anExpectedReuseThatTheControllerDidNotMakeIsSaid() {
        live(WEB, 4, healthy());
        cluster.replicaSets("shop/web", List.of(replicaSet("web-3c", 3), replicaSet("web-4d", 4)));

        List<FinishedRollout> done = tracker.ended(List.of(rollbackTo("web-2b", 2)));

        assertThat(done).singleElement().satisfies(f -> {
            assertThat(f.result())
                    .isEqualTo("rolled out (expected to reuse revision 2, the controller made a new ReplicaSet)");
            assertThat(f.reused()).isFalse();
            assertThat(f.replicaSet()).isEqualTo("web-4d");
        });
    }

    @Test
    void aRevertWhoseReplicaSetRevisionHistoryLimitRemovedSaysSo() {
        live(WEB, 6, healthy());
        cluster.replicaSets("shop/web", List.of(replicaSet("web-5e", 5), replicaSet("web-6f", 6)));
        TrackedRollout revert =
                tracked(WEB, new TemplateChange(Optional.empty()), Optional.of(REVERTED), Optional.empty());

        List<FinishedRollout> done = tracker.ended(List.of(revert));

        assertThat(done).singleElement().satisfies(f -> {
            assertThat(f.result())
                    .isEqualTo("rolled out (reverts abc1234; its ReplicaSet was already removed by "
                            + "revisionHistoryLimit, so a new one was made)");
            assertThat(f.reused()).isFalse();
        });
    }

    @Test
    void anEndedRolloutBecomesAHistoryEntryAtTheDeploymentsRevision() {
        live(WEB, 3, healthy());
        cluster.replicaSets("shop/web", List.of(replicaSet("web-3c", 3)));

        HistoryEntry entry = tracker.ended(List.of(forward(WEB))).get(0).entry();

        assertThat(entry)
                .isEqualTo(new HistoryEntry(
                        "Deployment",
                        "shop/web",
                        3,
                        "web-3c",
                        COMMIT.commit(),
                        "Deploy web:3",
                        "Ada",
                        APPLIED_AT,
                        "rolled out"));
    }

    @Test
    void oneEndingRolloutListsItsReplicaSetsBySelector() {
        live(WEB, 3, healthy());
        live(API, 7, rollingOut());

        tracker.ended(List.of(forward(WEB), forward(API)));

        assertThat(cluster.calls("listReplicaSets")).containsExactly("listReplicaSets shop/web");
    }

    @Test
    void severalEndingRolloutsInOneNamespaceListTheNamespaceOnce() {
        ResourceKey billing = deploymentKey("billing", "ledger");
        live(WEB, 3, healthy());
        live(API, 7, healthy());
        live(billing, 1, healthy());
        cluster.replicaSets("shop/web", List.of(replicaSet("web-3c", 3)));
        cluster.replicaSets("shop/api", List.of(replicaSet("api-6a", 6), replicaSet("api-7b", 7)));
        cluster.replicaSets("billing/ledger", List.of(replicaSet("ledger-1a", 1)));

        List<FinishedRollout> done = tracker.ended(List.of(forward(WEB), forward(API), forward(billing)));

        assertThat(cluster.calls("listReplicaSets"))
                .containsExactlyInAnyOrder("listReplicaSets shop", "listReplicaSets billing/ledger");
        assertThat(done).extracting(FinishedRollout::replicaSet).containsExactly("web-3c", "api-7b", "ledger-1a");
    }

    @Test
    void aDeploymentWhoseWatchIsBehindOurWriteHasNotEnded() {
        live(WEB, 2, healthy()); // the previous revision, healthy: our write has not come back yet
        RolloutTracker behindTheWrite = new RolloutTracker(staleFor(cluster, WEB), cluster);

        assertThat(behindTheWrite.ended(List.of(forward(WEB)))).isEmpty();
        assertThat(cluster.calls("listReplicaSets")).isEmpty();
    }
}
