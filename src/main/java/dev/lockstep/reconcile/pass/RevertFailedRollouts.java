package dev.lockstep.reconcile.pass;

import dev.lockstep.git.GitSourceException;
import dev.lockstep.model.AppRecord;
import dev.lockstep.writeback.Decision;
import dev.lockstep.writeback.FailedRollout;
import dev.lockstep.writeback.FailedRolloutReverter;
import java.util.List;
import java.util.Optional;

/**
 * With {@code onFailedRollout: revert}, decides about each rollout that failed since the last pass. A pushed revert is
 * the new branch head: the rest of this pass applies it like any other commit.
 */
final class RevertFailedRollouts implements Step {
    private final Optional<FailedRolloutReverter> reverter;

    RevertFailedRollouts(Optional<FailedRolloutReverter> reverter) {
        this.reverter = reverter;
    }

    @Override
    public StepResult run(Pass pass) {
        AppState state = pass.state();
        if (state.failed().isEmpty() || pass.mode() == Pass.Mode.PREVIEW) {
            return new StepResult.Continue(pass);
        }
        AppRecord record = state.record();
        Optional<String> note = state.writeBackNote();
        Pass out = pass;
        try {
            for (FailedRollout failed : reverter.isPresent() ? state.failed() : List.<FailedRollout>of()) {
                Optional<Decision> decided = reverter.get().decide(record, failed);
                if (decided.isPresent()) {
                    Decision d = decided.get();
                    record = record.with(d.recorded());
                    note = d.pushed().isPresent() ? Optional.empty() : Optional.of(d.summary());
                    out = out.with(new Fact.WroteBack(d));
                    out = d.pushed().map(out::withHead).orElse(out);
                }
            }
        } catch (GitSourceException e) {
            return GitFailure.retry(pass, e); // the failures stay pending: decided on the next pass
        }
        return new StepResult.Continue(
                out.withState(state.withRecord(record).withFailed(List.of()).withWriteBackNote(note)));
    }
}
