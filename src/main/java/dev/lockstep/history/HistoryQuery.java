package dev.lockstep.history;

import dev.lockstep.cluster.AppRecords;
import dev.lockstep.cluster.ControllerRevisions;
import dev.lockstep.cluster.ObjectReader;
import dev.lockstep.cluster.ReplicaSetLister;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.rollout.CurrentRevision;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.rollout.RolloutStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers "what ran when, from which commit, and how it ended" for an app's workloads, from the cluster alone: the
 * workload, its ReplicaSets (a Deployment) or ControllerRevisions (a StatefulSet or DaemonSet), and the outcomes in
 * the app's record. Reads only when asked; lists revisions only for the workloads asked about.
 */
public final class HistoryQuery {
    private final ObjectReader objects;
    private final ReplicaSetLister replicaSets;
    private final ControllerRevisions revisions;
    private final AppRecords records;

    /** @param objects where the workloads are read: one GET each, or the watch cache */
    public HistoryQuery(
            ObjectReader objects, ReplicaSetLister replicaSets, ControllerRevisions revisions, AppRecords records) {
        this.objects = objects;
        this.replicaSets = replicaSets;
        this.revisions = revisions;
        this.records = records;
    }

    /**
     * Every Deployment, StatefulSet, DaemonSet and Job in the app's inventory (only those called {@code name}, when
     * given), in inventory order, judged as they are now. A workload gone from the cluster is left out.
     */
    public List<WorkloadHistory> ofApp(String app, Optional<String> name) {
        AppRecord record = records.load(app).orElse(AppRecord.EMPTY);
        List<WorkloadHistory> out = new ArrayList<>();
        for (InventoryEntry e : record.inventory()) {
            if (!ObjectReadiness.followsRollout(e.key())
                    || name.filter(n -> !n.equals(e.key().name())).isPresent()) {
                continue;
            }
            objects.get(e.apiVersion(), e.key()).ifPresent(live -> out.add(judgedNow(e.key(), live, record)));
        }
        return out;
    }

    /**
     * The timeline of a Deployment, StatefulSet or DaemonSet whose live object the caller has read, in the state the
     * daemon judged it ({@code judged}: its revision counts for a Deployment; a StatefulSet's or DaemonSet's is its
     * current ControllerRevision's).
     */
    public WorkloadHistory.Timeline judged(
            String app, ResourceKey key, Map<String, Object> live, RolloutStatus judged) {
        Revisions owned = revisionsOf(key, live, judged.revision());
        RolloutStatus now = new RolloutStatus(judged.state(), judged.message(), owned.current());
        AppRecord record = records.load(app).orElse(AppRecord.EMPTY);
        return new WorkloadHistory.Timeline(
                key, now, DeploymentHistory.revisions(key, owned.list(), now, record.history()));
    }

    /** A workload judged from its live object and the record ({@link JudgedState}), as {@code lockstep status} does. */
    private WorkloadHistory judgedNow(ResourceKey key, Map<String, Object> live, AppRecord record) {
        RolloutStatus state = ObjectReadiness.of(key, live).orElseThrow();
        if (ObjectReadiness.isJob(key)) {
            return new WorkloadHistory.NoRevisions(key, JudgedState.of(key, live, state, record.history()));
        }
        Revisions owned = revisionsOf(key, live, state.revision());
        RolloutStatus now = JudgedState.of(
                key, live, new RolloutStatus(state.state(), state.message(), owned.current()), record.history());
        return new WorkloadHistory.Timeline(
                key, now, DeploymentHistory.revisions(key, owned.list(), now, record.history()));
    }

    /**
     * A Deployment's, StatefulSet's or DaemonSet's revisions as they are now, for choosing one to go back to; empty
     * when the workload is not in the cluster.
     */
    public Optional<Revisions> revisions(ResourceKey key) {
        return objects.get(ObjectReadiness.apiVersionOf(key), key)
                .map(live -> revisionsOf(
                        key,
                        live,
                        ObjectReadiness.of(key, live)
                                .map(RolloutStatus::revision)
                                .orElse(0L)));
    }

    /**
     * A workload's revisions, and the one it is at.
     *
     * @param list its ReplicaSets, or its ControllerRevisions as {@link ReplicaSetInfo}s (no replicas)
     */
    public record Revisions(List<ReplicaSetInfo> list, long current) {
        public Revisions {
            list = List.copyOf(list);
        }
    }

    /** @param deploymentRevision the revision a Deployment's status says it is at */
    private Revisions revisionsOf(ResourceKey key, Map<String, Object> live, long deploymentRevision) {
        Map<String, String> selector = ReplicaSetLister.selectorOf(live);
        if (ObjectReadiness.isDeployment(key)) {
            return new Revisions(replicaSets.ownedBy(key.namespace(), key.name(), selector), deploymentRevision);
        }
        // a StatefulSet's or DaemonSet's revision is its current ControllerRevision's, not in its status
        List<ControllerRevisionInfo> owned = revisions.ownedBy(key.namespace(), key.kind(), key.name(), selector);
        long current = CurrentRevision.of(live, owned)
                .map(ControllerRevisionInfo::revision)
                .orElse(0L);
        return new Revisions(
                owned.stream().map(ControllerRevisionInfo::asRevisionRow).toList(), current);
    }
}
