package dev.lockstep.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.AppRecord;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.TemplateChange;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import dev.lockstep.rollout.RolloutTracker;
import dev.lockstep.rollout.TrackedRollout;
import dev.lockstep.testing.FakeCluster;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The daemon's view of each object: the watch cache beside the rollouts it follows and the record's failures. */
class WatchedStatesTest {
    private static final String V2 = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final ResourceKey WEB = ResourceKey.of("apps/v1", "Deployment", "shop", "web");
    private static final ResourceKey DB = ResourceKey.of("apps/v1", "StatefulSet", "shop", "db");
    private static final ResourceKey SETTINGS = ResourceKey.of("v1", "ConfigMap", "shop", "settings");

    private final FakeCluster cluster = new FakeCluster();
    private final WatchedStates states = new WatchedStates(cluster, new RolloutTracker(cluster, cluster));

    private static AppRecord record(List<HistoryEntry> history) {
        return new AppRecord(
                V2,
                List.of(
                        new InventoryEntry(WEB, "apps/v1"),
                        new InventoryEntry(DB, "apps/v1"),
                        new InventoryEntry(SETTINGS, "v1")),
                history);
    }

    @Test
    void aFollowedWorkloadTheWatchHasNotDeliveredYetIsWaitingToBeObservedAndAnUnfollowedOneIsLeftOut() {
        TrackedRollout followed = new TrackedRollout(
                WEB,
                new Revision(V2, "v2", "v2\n", "Ada", "ada@example.com", NOW),
                new TemplateChange(Optional.empty()),
                NOW,
                Optional.empty(),
                Optional.empty());

        WatchedStates.States now = states.of(record(List.of()), Map.of(WEB, followed));

        assertThat(now.deployments())
                .containsExactly(Map.entry(
                        "shop/web",
                        new RolloutStatus(
                                RolloutState.PROGRESSING, "Waiting for deployment \"web\" to be observed...", 0)));
        assertThat(now.workloads()).isEmpty();
    }

    @Test
    void aStatefulSetStillRollingOutACommitWhoseRolloutWasRecordedFailedIsFailedAndSaysWhich() {
        cluster.put(DB, statefulSetWaitingForAPod());
        HistoryEntry failed = new HistoryEntry("StatefulSet", "shop/db", 2, "db-2", V2, "v2", "Ada", NOW, "failed");

        WatchedStates.States now = states.of(record(List.of(failed)), Map.of());

        assertThat(now.workloads())
                .containsExactly(Map.entry(
                        "StatefulSet/shop/db",
                        new RolloutStatus(
                                RolloutState.FAILED,
                                "rollout of 2222222 failed: Waiting for 1 pods to be ready...",
                                0)));
        assertThat(states.of(record(List.of()), Map.of())
                        .workloads()
                        .get("StatefulSet/shop/db")
                        .state())
                .as("without the record's failure it is only progressing")
                .isEqualTo(RolloutState.PROGRESSING);
    }

    private static Map<String, Object> statefulSetWaitingForAPod() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "db");
        metadata.put("namespace", "shop");
        metadata.put("generation", 1);
        metadata.put("labels", Map.of(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE));
        metadata.put("annotations", Map.of(MetadataKeys.COMMIT, V2));
        return Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "StatefulSet",
                "metadata",
                metadata,
                "spec",
                Map.of("replicas", 2),
                "status",
                Map.of("observedGeneration", 1, "readyReplicas", 1));
    }
}
