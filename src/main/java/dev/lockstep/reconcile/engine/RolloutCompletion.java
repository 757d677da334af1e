package dev.lockstep.reconcile.engine;

import dev.lockstep.cluster.ClusterException;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.reconcile.pass.AppState;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.rollout.FinishedRollout;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutTracker;
import dev.lockstep.rollout.TrackedRollout;
import dev.lockstep.writeback.FailedRollout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ends the followed rollouts that finished: their result goes into the history and to the listeners. */
final class RolloutCompletion {
    private static final Logger log = LoggerFactory.getLogger(RolloutCompletion.class);
    private final String app;
    private final RolloutTracker tracker;
    private final ReconcileListener listener;
    /** {@code onFailedRollout: revert}: a failed rollout waits for the next pass to decide about its revert. */
    private final boolean revertFailures;

    RolloutCompletion(String app, RolloutTracker tracker, ReconcileListener listener, boolean revertFailures) {
        this.revertFailures = revertFailures;
        this.app = app;
        this.tracker = tracker;
        this.listener = listener;
    }

    /** The state with the finished rollouts recorded; empty when none finished. Costs no request unless one did. */
    Optional<AppState> poll(AppState state) {
        if (state.rollouts().isEmpty()) {
            return Optional.empty();
        }
        List<FinishedRollout> finished;
        try {
            finished = tracker.ended(state.rollouts().values(), afterFailure(state));
        } catch (ClusterException e) {
            log.warn("app {}: cannot read rollout state: {}", app, e.getMessage());
            return Optional.empty();
        }
        return finished.isEmpty() ? Optional.empty() : Optional.of(record(state, finished));
    }

    /** The followed workloads whose previous rollout, as the app's history records it, failed. */
    private static Set<ResourceKey> afterFailure(AppState state) {
        Set<ResourceKey> out = new HashSet<>();
        Map<String, HistoryEntry> latest =
                HistoryEntry.latestOfEach(state.record().history());
        for (ResourceKey workload : state.rollouts().keySet()) {
            HistoryEntry.latestOf(latest, workload)
                    .filter(h -> h.result().startsWith("failed"))
                    .ifPresent(h -> out.add(workload));
        }
        return out;
    }

    /** The finished rollouts out of the followed ones, into the history (and, failed, into the pending reverts). */
    private AppState record(AppState state, List<FinishedRollout> finished) {
        Map<ResourceKey, TrackedRollout> following = new HashMap<>(state.rollouts());
        List<FailedRollout> failed = new ArrayList<>(state.failed());
        List<HistoryEntry> history = new ArrayList<>(state.record().history());
        for (FinishedRollout f : finished) {
            TrackedRollout t = f.rollout();
            following.remove(t.deployment());
            history.add(f.entry());
            if (f.status().state() == RolloutState.FAILED && revertFailures) {
                failed.add(new FailedRollout(
                        t.commit(),
                        t.deployment(),
                        f.status().revision(),
                        f.status().message()));
            }
            report(f);
        }
        AppState next = state.withRollouts(following);
        return next.withRecord(next.record().withHistory(history)).withFailed(failed);
    }

    private void report(FinishedRollout f) {
        TrackedRollout t = f.rollout();
        listener.rolloutFinished(app, t.deployment(), f.status(), t.commit());
        t.change()
                .reuses()
                .ifPresent(r -> listener.rolledBack(
                        app, t.deployment(), r.revision(), f.status().revision(), t.commit(), f.reused()));
    }
}
