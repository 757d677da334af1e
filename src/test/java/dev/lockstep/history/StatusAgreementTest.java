package dev.lockstep.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.AppRecord;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import dev.lockstep.rollout.RolloutTracker;
import dev.lockstep.testing.FakeCluster;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code lockstep status} ({@link ObjectStates}, one read each) and the daemon's status ({@link WatchedStates}, the
 * watch cache) judge every workload kind alike ({@link JudgedState}): the live object, and the app record's result for
 * its current commit; {@code lockstep history} ({@link HistoryQuery}) heads each workload with the same state.
 */
class StatusAgreementTest {
    private static final String V1 = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String V2 = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final ResourceKey WEB = ResourceKey.of("apps/v1", "Deployment", "shop", "web");
    private static final ResourceKey DB = ResourceKey.of("apps/v1", "StatefulSet", "shop", "db");
    private static final ResourceKey AGENT = ResourceKey.of("apps/v1", "DaemonSet", "shop", "agent");
    private static final ResourceKey MIGRATE = ResourceKey.of("batch/v1", "Job", "shop", "migrate");

    private final FakeCluster cluster = new FakeCluster();

    @Test
    void everyKindStillRollingOutACommitWhoseRolloutWasRecordedFailedReadsTheSameInTheCliAndTheDaemon() {
        cluster.put(
                WEB,
                workload(
                        "Deployment",
                        "web",
                        Map.of("replicas", 2),
                        Map.of("observedGeneration", 1, "replicas", 2, "updatedReplicas", 1, "availableReplicas", 1)));
        cluster.put(
                DB,
                workload(
                        "StatefulSet",
                        "db",
                        Map.of("replicas", 2),
                        Map.of("observedGeneration", 1, "readyReplicas", 1)));
        cluster.put(
                AGENT,
                workload(
                        "DaemonSet",
                        "agent",
                        Map.of(),
                        Map.of(
                                "observedGeneration",
                                1,
                                "desiredNumberScheduled",
                                2,
                                "updatedNumberScheduled",
                                1,
                                "numberAvailable",
                                1)));
        cluster.put(MIGRATE, workload("Job", "migrate", Map.of(), Map.of("active", 1)));
        AppRecord record = new AppRecord(
                V2,
                List.of(
                        new InventoryEntry(WEB, "apps/v1"),
                        new InventoryEntry(DB, "apps/v1"),
                        new InventoryEntry(AGENT, "apps/v1"),
                        new InventoryEntry(MIGRATE, "batch/v1")),
                List.of(failed(WEB), failed(DB), failed(AGENT), failed(MIGRATE)));

        Map<String, RolloutStatus> cli = new LinkedHashMap<>();
        new ObjectStates(cluster)
                .of(record)
                .forEach(o -> cli.put(o.key().toString(), o.state().orElseThrow()));
        WatchedStates.States watched =
                new WatchedStates(cluster, new RolloutTracker(cluster, cluster)).of(record, Map.of());
        Map<String, RolloutStatus> daemon = new LinkedHashMap<>();
        watched.deployments().forEach((name, s) -> daemon.put("Deployment/" + name, s));
        daemon.putAll(watched.workloads());

        assertThat(cli).isEqualTo(daemon);
        cluster.save("shop", record);
        assertThat(new HistoryQuery(cluster, cluster, cluster, cluster).ofApp("shop", Optional.empty()))
                .as("lockstep history heads each workload with the same state")
                .allSatisfy(h -> assertThat(h.now().state())
                        .isEqualTo(cli.get(h.workload().toString()).state()))
                .hasSize(4);
        assertThat(cli)
                .containsEntry(
                        "StatefulSet/shop/db",
                        new RolloutStatus(
                                RolloutState.FAILED, "rollout of 2222222 failed: Waiting for 1 pods to be ready...", 0))
                .containsEntry(
                        "DaemonSet/shop/agent",
                        new RolloutStatus(
                                RolloutState.FAILED,
                                "rollout of 2222222 failed: Waiting for daemon set \"agent\" rollout to finish: 1 out"
                                        + " of 2 new pods have been updated...",
                                0));
        assertThat(cli.get("Job/shop/migrate").state()).isEqualTo(RolloutState.FAILED);
        assertThat(cli.get("Deployment/shop/web").state())
                .as("a Deployment's controller keeps its failure as a condition: without it, it is rolling out")
                .isEqualTo(RolloutState.PROGRESSING);
    }

    @Test
    void aNewerCommitOrNoRecordedFailureLeavesEveryKindAsItsLiveObjectSaysInBoth() {
        cluster.put(
                DB,
                workload(
                        "StatefulSet",
                        "db",
                        Map.of("replicas", 2),
                        Map.of("observedGeneration", 1, "readyReplicas", 1)));
        AppRecord record = new AppRecord(
                V2,
                List.of(new InventoryEntry(DB, "apps/v1")),
                List.of(new HistoryEntry("StatefulSet", "shop/db", 1, "db-1", V1, "v1", "Ada", NOW, "failed")));

        RolloutStatus cli = new ObjectStates(cluster).of(record).get(0).state().orElseThrow();
        RolloutStatus daemon = new WatchedStates(cluster, new RolloutTracker(cluster, cluster))
                .of(record, Map.of())
                .workloads()
                .get(DB.toString());

        assertThat(cli).isEqualTo(daemon);
        assertThat(cli.state()).isEqualTo(RolloutState.PROGRESSING);
    }

    private static HistoryEntry failed(ResourceKey key) {
        return new HistoryEntry(
                key.kind(), HistoryEntry.workloadOf(key), 2, key.name() + "-2", V2, "v2", "Ada", NOW, "failed");
    }

    private static Map<String, Object> workload(
            String kind, String name, Map<String, Object> spec, Map<String, Object> status) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("namespace", "shop");
        metadata.put("generation", 1);
        metadata.put("labels", Map.of(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE));
        metadata.put("annotations", Map.of(MetadataKeys.COMMIT, V2));
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", kind.equals("Job") ? "batch/v1" : "apps/v1");
        object.put("kind", kind);
        object.put("metadata", metadata);
        object.put("spec", spec);
        object.put("status", status);
        return object;
    }
}
