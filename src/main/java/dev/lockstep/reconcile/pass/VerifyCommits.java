package dev.lockstep.reconcile.pass;

import dev.lockstep.config.VerifyMode;
import dev.lockstep.config.VerifySpec;
import dev.lockstep.git.CommitVerifier;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.model.Revision;
import java.util.List;
import java.util.Optional;

/**
 * Under {@code verify.mode: head} the new head, under {@code strict} every commit since the last applied one, must be
 * signed by a trusted key. One failing commit and nothing is applied; the reasons name each failing commit.
 */
final class VerifyCommits implements Step {
    private final VerifySpec spec;
    private final CommitVerifier verifier;

    VerifyCommits(VerifySpec spec, CommitVerifier verifier) {
        this.spec = spec;
        this.verifier = verifier;
    }

    @Override
    public StepResult run(Pass pass) {
        if (!spec.enabled()) {
            return new StepResult.Continue(pass);
        }
        Revision head = pass.requireCommit();
        String applied = pass.state().record().commit();
        List<CommitVerifier.Failure> failures;
        try {
            failures = spec.mode() == VerifyMode.HEAD
                    ? verifier.verifyHead(head.commit())
                    : verifier.verifyRange(
                            applied.isEmpty() ? Optional.empty() : Optional.of(applied), spec.since(), head.commit());
        } catch (GitSourceException e) {
            return GitFailure.retry(pass, e);
        }
        if (failures.isEmpty()) {
            return new StepResult.Continue(pass);
        }
        List<String> reasons = failures.stream()
                .map(f -> "commit " + Revision.shortSha(f.commit()) + " failed signature verification: " + f.reason())
                .toList();
        CommitVerifier.Failure first = failures.get(0);
        String summary = reasons.get(0) + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more)" : "");
        return new StepResult.Stalled(
                pass.with(new Fact.CommitRefused(Fact.CommitRefused.SIGNATURE, first.commit(), summary)), reasons);
    }
}
