package dev.lockstep.reconcile;

import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import dev.lockstep.rollout.RolloutTracker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@code status} shows for an app: its state plus every Deployment's rollout as the watch cache sees it now. */
final class StatusView {
    private final String app;
    private final dev.lockstep.config.AppSpec spec;
    private final LiveObjects live;
    private final RolloutTracker tracker;

    StatusView(dev.lockstep.config.AppSpec spec, LiveObjects live, RolloutTracker tracker) {
        this.app = spec.name();
        this.spec = spec;
        this.live = live;
        this.tracker = tracker;
    }

    AppStatus of(AppState state, Instant now) {
        Map<String, RolloutStatus> deployments = new LinkedHashMap<>();
        for (InventoryEntry e : state.record().inventory()) {
            if (!e.key().kind().equals("Deployment")) {
                continue;
            }
            String name = e.key().namespace() + "/" + e.key().name();
            var tracked = Optional.ofNullable(state.rollouts().get(e.key()));
            var deployment = live.get(e.apiVersion(), e.key());
            if (deployment.isPresent()) {
                deployments.put(name, tracker.statusOf(tracked, e.key(), deployment.get()));
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
                app,
                problem.map(Problem::health),
                problem.map(Problem::message).orElse(""),
                errors(state),
                deployments,
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
