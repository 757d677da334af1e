package dev.lockstep.reconcile.pass;

import dev.lockstep.git.CommitVerifier;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.model.Revision;
import java.util.List;

/**
 * Refuses a head that does not descend from the last applied commit (a force-push, a reset branch) unless the app
 * allows history rewrites: applying it would silently drop commits the cluster has run.
 */
final class RefuseHistoryRewrite implements Step {
    private final boolean allowed;
    private final CommitVerifier verifier;

    RefuseHistoryRewrite(boolean allowed, CommitVerifier verifier) {
        this.allowed = allowed;
        this.verifier = verifier;
    }

    @Override
    public StepResult run(Pass pass) {
        String applied = pass.state().record().commit();
        Revision head = pass.requireCommit();
        if (allowed || applied.isEmpty()) {
            return new StepResult.Continue(pass);
        }
        try {
            if (verifier.descends(head.commit(), applied)) {
                return new StepResult.Continue(pass);
            }
        } catch (GitSourceException e) {
            return GitFailure.retry(pass, e);
        }
        String reason = "history rewritten: the new head " + head.shortSha() + " does not descend from the last applied"
                + " commit " + Revision.shortSha(applied)
                + " (a force-push or a reset branch); set allowHistoryRewrite:"
                + " true to apply it";
        return new StepResult.Stalled(
                pass.with(new Fact.CommitRefused(Fact.CommitRefused.HISTORY, head.commit(), reason)), List.of(reason));
    }
}
