package dev.lockstep.reconcile.pass;

import dev.lockstep.cluster.AppRecords;
import dev.lockstep.model.AppRecord;

/**
 * On the first pass, reads the app's record from the cluster: what a previous daemon applied, created and saw, and the
 * rollouts it was following.
 */
final class LoadRecord implements Step {
    private final String app;
    private final AppRecords records;

    LoadRecord(String app, AppRecords records) {
        this.app = app;
        this.records = records;
    }

    @Override
    public StepResult run(Pass pass) {
        if (pass.state().loaded()) {
            return new StepResult.Continue(pass);
        }
        AppRecord record = records.load(app).orElse(AppRecord.EMPTY);
        // rollouts a previous leader (or process) followed: followed on, so their history entries are written
        return new StepResult.Continue(
                pass.withState(pass.state().persisted(record).followingRecorded()));
    }
}
