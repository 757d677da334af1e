package dev.lockstep.history;

import dev.lockstep.cluster.ObjectReader;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import dev.lockstep.rollout.RolloutTracker;
import dev.lockstep.rollout.TrackedRollout;
import dev.lockstep.util.Tree;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the daemon's status shows for each object of an app: every Deployment's rollout and every other judged object's
 * state, as the watch cache sees them now, beside the rollouts the daemon follows. A rollout never shows its end before
 * the history that records it.
 */
public final class WatchedStates {
    private final ObjectReader live;
    private final RolloutTracker tracker;

    /** @param live the watch cache */
    public WatchedStates(ObjectReader live, RolloutTracker tracker) {
        this.live = live;
        this.tracker = tracker;
    }

    /**
     * @param deployments by "namespace/name"
     * @param workloads   StatefulSets, DaemonSets, Jobs, PersistentVolumeClaims and LoadBalancer Services, by
     *                    "Kind/namespace/name"
     */
    public record States(Map<String, RolloutStatus> deployments, Map<String, RolloutStatus> workloads) {}

    /** @param followed the rollouts being followed, by workload */
    public States of(AppRecord record, Map<ResourceKey, TrackedRollout> followed) {
        Map<String, RolloutStatus> deployments = new LinkedHashMap<>();
        Map<String, RolloutStatus> workloads = new LinkedHashMap<>();
        for (InventoryEntry e : record.inventory()) {
            Optional<TrackedRollout> tracked = Optional.ofNullable(followed.get(e.key()));
            if (!e.key().kind().equals("Deployment")) {
                workload(record, e, tracked)
                        .ifPresent(s -> workloads.put(e.key().toString(), s));
                continue;
            }
            String name = e.key().namespace() + "/" + e.key().name();
            var deployment = live.get(e.apiVersion(), e.key());
            if (deployment.isPresent()) {
                deployments.put(name, untilRecorded(tracked, tracker.statusOf(tracked, e.key(), deployment.get())));
            } else if (tracked.isPresent()) { // just created: the watch has not delivered it yet
                deployments.put(name, notObservedYet("deployment", e.key()));
            }
        }
        return new States(deployments, workloads);
    }

    /**
     * A judged kind's state (StatefulSet, DaemonSet, Job, PVC, LoadBalancer Service); empty for other kinds. A
     * StatefulSet or DaemonSet still not ready after the rollout of its current commit was recorded failed stays
     * Failed: its controller, unlike a Deployment's, keeps no failure condition.
     */
    private Optional<RolloutStatus> workload(AppRecord record, InventoryEntry e, Optional<TrackedRollout> tracked) {
        if (!ObjectReadiness.mayJudge(e.key())) {
            return Optional.empty(); // not followed either; spares converting every ConfigMap and Secret from the cache
        }
        var object = live.get(e.apiVersion(), e.key());
        if (object.isEmpty()) {
            return tracked.map(t -> notObservedYet(e.key().kind(), e.key()));
        }
        if (ObjectReadiness.of(e.key(), object.get()).isEmpty()) {
            return Optional.empty();
        }
        RolloutStatus status = tracker.statusOf(tracked, e.key(), object.get());
        if (tracked.isPresent()) {
            return Optional.of(untilRecorded(tracked, status));
        }
        if (status.state() != RolloutState.PROGRESSING) {
            return Optional.of(status);
        }
        String commit = Tree.string(object.get(), "metadata", "annotations", MetadataKeys.COMMIT)
                .orElse("");
        if (DeploymentHistory.recordedFailed(e.key(), commit, record.history())) {
            return Optional.of(new RolloutStatus(
                    RolloutState.FAILED,
                    "rollout of " + Revision.shortSha(commit) + " failed: " + status.message(),
                    status.revision()));
        }
        return Optional.of(status);
    }

    private static RolloutStatus notObservedYet(String kind, ResourceKey key) {
        return new RolloutStatus(
                RolloutState.PROGRESSING, "Waiting for " + kind + " \"" + key.name() + "\" to be observed...", 0);
    }

    /**
     * A followed rollout that the controller has ended stays Progressing here until the follower has recorded its end
     * (history entry, Event) at its next poll, at most a second later. So "Healthy at a commit" or "Failed" in the
     * status always comes with the history that says so, and a failure's message does not change once shown.
     */
    private static RolloutStatus untilRecorded(Optional<TrackedRollout> tracked, RolloutStatus status) {
        if (tracked.isEmpty() || status.state() == RolloutState.PROGRESSING) {
            return status;
        }
        return new RolloutStatus(
                RolloutState.PROGRESSING, status.message() + " (recording the result)", status.revision());
    }
}
