package dev.lockstep.reconcile.pass;

import dev.lockstep.cluster.AppRecords;
import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.model.AppRecord;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * On the first pass, reads the app's record from the cluster: what a previous daemon applied, created and saw, and the
 * rollouts it was following. The kinds the record names start their first list in the background, so the watch caches
 * fill while git fetches and the manifests are read, not after (the planner waits for them as before).
 */
final class LoadRecord implements Step {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LoadRecord.class);
    private final String app;
    private final AppRecords records;
    private final LiveObjects live;
    private final Executor background;

    LoadRecord(String app, AppRecords records, LiveObjects live, Executor background) {
        this.app = app;
        this.records = records;
        this.live = live;
        this.background = background;
    }

    @Override
    public StepResult run(Pass pass) {
        if (pass.state().loaded()) {
            return new StepResult.Continue(pass);
        }
        AppRecord record = records.load(app).orElse(AppRecord.EMPTY);
        startWatching(record);
        // rollouts a previous leader (or process) followed: followed on, so their history entries are written
        return new StepResult.Continue(
                pass.withState(pass.state().persisted(record).followingRecorded()));
    }

    /** Fire and forget: a kind that cannot be watched is reported by the planner's own wait for it. */
    private void startWatching(AppRecord record) {
        Set<List<String>> kinds = new LinkedHashSet<>();
        record.inventory()
                .forEach(e -> kinds.add(List.of(e.apiVersion(), e.key().kind())));
        for (List<String> kind : kinds) {
            try {
                CompletableFuture.runAsync(() -> live.watch(kind.get(0), kind.get(1)), background)
                        .exceptionally(e -> {
                            log.debug("app {}: early watch of {} failed: {}", app, kind, e.toString());
                            return null;
                        });
            } catch (RejectedExecutionException e) {
                return; // shutting down
            }
        }
    }
}
