package dev.lockstep.reconcile.pass;

import dev.lockstep.model.Revision;
import java.util.List;
import java.util.Optional;

/**
 * The one place where a pass's end becomes the app's next state and the loop's outcome: a done pass clears any problem,
 * a stall marks the commit, a retry or a bug records why.
 */
record Settlement(AppState state, PassOutcome outcome) {

    static Settlement of(StepResult result) {
        Pass pass = result.pass();
        AppState state = pass.state();
        if (result instanceof StepResult.Done) {
            return new Settlement(state.withProblem(conflicts(pass)), doneOutcome(pass));
        }
        if (result instanceof StepResult.Stalled stalled) {
            return new Settlement(
                    stalled.reasons().isEmpty() ? state : stall(state, pass.requireCommit(), stalled),
                    PassOutcome.STALLED);
        }
        if (result instanceof StepResult.Retry retry) {
            return new Settlement(state.withProblem(Optional.of(Problem.error(retry.reason()))), PassOutcome.RETRY);
        }
        if (result instanceof StepResult.Crashed crashed) {
            return new Settlement(
                    state.withProblem(Optional.of(Problem.error("internal error: " + crashed.bug()))),
                    PassOutcome.ERROR);
        }
        throw new IllegalArgumentException("a pass cannot end with " + result);
    }

    /** Objects another app owns now: the app is not at its commit while they last, though nothing can be retried. */
    private static Optional<Problem> conflicts(Pass pass) {
        List<String> reasons = pass.facts().stream()
                .filter(f -> f instanceof Fact.OwnershipConflict)
                .map(f -> ((Fact.OwnershipConflict) f).reason())
                .toList();
        return reasons.isEmpty()
                ? Optional.empty()
                : Optional.of(new Problem(AppHealth.STALLED, "another app owns objects this app declares", reasons));
    }

    private static PassOutcome doneOutcome(Pass pass) {
        boolean wrote =
                pass.facts().stream().anyMatch(f -> f instanceof Fact.ObjectApplied || f instanceof Fact.ObjectPruned);
        boolean healed = pass.facts().stream().anyMatch(f -> f instanceof Fact.Drifted d && d.corrected());
        return wrote ? PassOutcome.APPLIED : healed ? PassOutcome.HEALED : PassOutcome.UNCHANGED;
    }

    private static AppState stall(AppState state, Revision commit, StepResult.Stalled stalled) {
        String at = state.record().commit().isEmpty()
                ? "nothing"
                : Revision.shortSha(state.record().commit());
        String message =
                "commit " + commit.shortSha() + " \"" + commit.subject() + "\" not applied; the cluster stays at " + at;
        return state.stalled(commit.commit(), new Problem(AppHealth.STALLED, message, stalled.reasons()));
    }
}
