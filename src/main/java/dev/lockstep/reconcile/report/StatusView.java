package dev.lockstep.reconcile.report;

import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.config.AppSpec;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.pass.AppState;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.reconcile.pass.HeldPrune;
import dev.lockstep.reconcile.pass.Problem;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import dev.lockstep.rollout.RolloutTracker;
import dev.lockstep.rollout.TrackedRollout;
import dev.lockstep.util.Tree;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code status} shows for an app: its state plus every Deployment's rollout and every other judged object's
 * state, as the watch cache sees them now.
 */
public final class StatusView {
    private final AppSpec spec;
    private final LiveObjects live;
    private final RolloutTracker tracker;

    public StatusView(AppSpec spec, LiveObjects live, RolloutTracker tracker) {
        this.spec = spec;
        this.live = live;
        this.tracker = tracker;
    }

    public AppStatus of(AppState state, Instant now) {
        Map<String, RolloutStatus> deployments = new LinkedHashMap<>();
        Map<String, RolloutStatus> workloads = new LinkedHashMap<>();
        for (InventoryEntry e : state.record().inventory()) {
            if (!e.key().kind().equals("Deployment")) {
                workload(state, e).ifPresent(s -> workloads.put(e.key().toString(), s));
                continue;
            }
            String name = e.key().namespace() + "/" + e.key().name();
            var tracked = Optional.ofNullable(state.rollouts().get(e.key()));
            var deployment = live.get(e.apiVersion(), e.key());
            if (deployment.isPresent()) {
                deployments.put(name, untilRecorded(tracked, tracker.statusOf(tracked, e.key(), deployment.get())));
            } else if (tracked.isPresent()) { // just created: the watch has not delivered it yet
                deployments.put(
                        name,
                        new RolloutStatus(
                                RolloutState.PROGRESSING,
                                "Waiting for deployment \"" + e.key().name() + "\" to be observed...",
                                0));
            }
        }
        Optional<Problem> problem = state.problem();
        return AppStatus.of(
                spec.name(),
                problem.map(Problem::health),
                problem.map(Problem::message).orElse(""),
                errors(state),
                deployments,
                workloads,
                state.record().commit(),
                state.subject(),
                now);
    }

    /**
     * A judged kind's state (StatefulSet, DaemonSet, Job, PVC, LoadBalancer Service); empty for other kinds. A
     * StatefulSet or DaemonSet still not ready after the rollout of its current commit was recorded failed stays
     * Failed: its controller, unlike a Deployment's, keeps no failure condition.
     */
    private Optional<RolloutStatus> workload(AppState state, InventoryEntry e) {
        if (!ObjectReadiness.mayJudge(e.key())) {
            return Optional.empty(); // not followed either; spares converting every ConfigMap and Secret from the cache
        }
        var tracked = Optional.ofNullable(state.rollouts().get(e.key()));
        var object = live.get(e.apiVersion(), e.key());
        if (object.isEmpty()) {
            return tracked.map(t -> new RolloutStatus(
                    RolloutState.PROGRESSING,
                    "Waiting for " + e.key().kind() + " \"" + e.key().name() + "\" to be observed...",
                    0));
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
        boolean recordedFailed = state.record().history().stream()
                .filter(h -> h.isOf(e.key()) && h.commit().equals(commit))
                .reduce((a, b) -> b)
                .filter(h -> h.result().equals("failed"))
                .isPresent();
        if (!commit.isEmpty() && recordedFailed) {
            return Optional.of(new RolloutStatus(
                    RolloutState.FAILED,
                    "rollout of " + Revision.shortSha(commit) + " failed: " + status.message(),
                    status.revision()));
        }
        return Optional.of(status);
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

    /**
     * The problem's errors, then why Lockstep's last write-back decision pushed nothing, if it did not, then what a
     * refused prune holds.
     */
    private List<String> errors(AppState state) {
        List<String> out = new ArrayList<>(state.problem().map(Problem::errors).orElse(List.of()));
        state.writeBackNote().ifPresent(note -> out.add("write-back: " + note));
        if (!state.record().pruneHold().isEmpty()) {
            out.add(HeldPrune.describe(spec, state.record().pruneHold()));
        }
        return out;
    }
}
