package dev.lockstep.reconcile.pass;

import dev.lockstep.cluster.ClusterException;
import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.rollout.InterruptedRollouts;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.rollout.TrackedRollout;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the pass has planned (so the watch cache holds the app's kinds): follows again every StatefulSet or DaemonSet
 * rollout a previous process followed and never saw end ({@link InterruptedRollouts}), so its progress deadline still
 * runs from the original apply. Reads only the watch cache (and a ControllerRevision list for an interrupted rollback);
 * a failed list leaves it to the next pass that gets this far.
 */
final class ResumeRollouts implements Step {
    private static final Logger log = LoggerFactory.getLogger(ResumeRollouts.class);
    private final String app;
    private final LiveObjects live;
    private final InterruptedRollouts interrupted;

    ResumeRollouts(String app, LiveObjects live, InterruptedRollouts interrupted) {
        this.app = app;
        this.live = live;
        this.interrupted = interrupted;
    }

    @Override
    public StepResult run(Pass pass) {
        AppState state = pass.state();
        Map<ResourceKey, TrackedRollout> rollouts = new HashMap<>(state.rollouts());
        for (InventoryEntry e : state.record().inventory()) {
            ResourceKey key = e.key();
            if (!ObjectReadiness.hasControllerRevisions(key) || rollouts.containsKey(key) || live.isStale(key)) {
                continue;
            }
            try {
                Optional<TrackedRollout> resumed = live.get(e.apiVersion(), key)
                        .flatMap(object ->
                                interrupted.of(key, object, state.record().history()));
                resumed.ifPresent(t -> {
                    log.info(
                            "app {}: following again the rollout of {} to {}, applied at {} by an earlier process;"
                                    + " its progress deadline counts from then",
                            app,
                            key,
                            t.commit().shortSha(),
                            t.appliedAt());
                    rollouts.put(key, t);
                });
            } catch (ClusterException ex) {
                log.warn(
                        "app {}: cannot tell whether the rollout of {} was interrupted: {}", app, key, ex.getMessage());
            }
        }
        return rollouts.size() == state.rollouts().size()
                ? new StepResult.Continue(pass)
                : new StepResult.Continue(pass.withState(state.withRollouts(rollouts)));
    }
}
