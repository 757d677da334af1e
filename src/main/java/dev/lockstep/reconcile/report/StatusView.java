package dev.lockstep.reconcile.report;

import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.config.AppSpec;
import dev.lockstep.history.WatchedStates;
import dev.lockstep.reconcile.pass.AppState;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.reconcile.pass.HeldPrune;
import dev.lockstep.reconcile.pass.Problem;
import dev.lockstep.rollout.RolloutTracker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code status} shows for an app: its state plus every Deployment's rollout and every other judged object's
 * state, as the watch cache sees them now ({@link WatchedStates}), with the pass's problem and notes.
 */
public final class StatusView {
    private final AppSpec spec;
    private final WatchedStates states;

    public StatusView(AppSpec spec, LiveObjects live, RolloutTracker tracker) {
        this.spec = spec;
        this.states = new WatchedStates(live, tracker);
    }

    public AppStatus of(AppState state, Instant now) {
        WatchedStates.States objects = states.of(state.record(), state.rollouts());
        Optional<Problem> problem = state.problem();
        return AppStatus.of(
                spec.name(),
                problem.map(Problem::health),
                problem.map(Problem::message).orElse(""),
                errors(state),
                objects.deployments(),
                objects.workloads(),
                state.record().commit(),
                state.subject(),
                now);
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
