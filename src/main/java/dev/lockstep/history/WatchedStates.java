package dev.lockstep.history;

import dev.lockstep.cluster.ObjectReader;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import dev.lockstep.rollout.RolloutTracker;
import dev.lockstep.rollout.TrackedRollout;
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
                deployments.put(
                        name,
                        judged(
                                record,
                                e.key(),
                                deployment.get(),
                                tracked,
                                tracker.statusOf(tracked, e.key(), deployment.get())));
            } else if (tracked.isPresent()) { // just created: the watch has not delivered it yet
                deployments.put(name, notObservedYet("deployment", e.key()));
            }
        }
        return new States(deployments, workloads);
    }

    /**
     * A judged kind's state (StatefulSet, DaemonSet, Job, PVC, LoadBalancer Service); empty for other kinds.
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
        return Optional.of(judged(record, e.key(), object.get(), tracked, status));
    }

    /**
     * A followed rollout as its follower judges it; any other object as {@code lockstep status} judges it
     * ({@link JudgedState}), the follower's judgement being its live one then.
     */
    private static RolloutStatus judged(
            AppRecord record,
            ResourceKey key,
            Map<String, Object> object,
            Optional<TrackedRollout> tracked,
            RolloutStatus status) {
        return tracked.isPresent() ? untilRecorded(status) : JudgedState.of(key, object, status, record.history());
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
    private static RolloutStatus untilRecorded(RolloutStatus status) {
        if (status.state() == RolloutState.PROGRESSING) {
            return status;
        }
        return new RolloutStatus(
                RolloutState.PROGRESSING, status.message() + " (recording the result)", status.revision());
    }
}
