package dev.lockstep.reconcile.pass;

import dev.lockstep.model.Revision;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How one pass ended, as the engine and the report need it: the app's next state and the loop's outcome (settled by
 * {@link Settlement}), and what users are to hear about.
 *
 * @param state    the app's state after the pass
 * @param outcome  what the loop does next
 * @param facts    what the pass did, in order
 * @param commit   the commit the pass fetched, if it got that far
 * @param rejected why the commit cannot be applied, each naming file and line where it can; empty unless the pass
 *                 stalled, and empty too when that stall was already reported
 * @param retry    why the pass must be tried again (git or the cluster failed), when it must
 * @param bug      the exception no step expected, when one was thrown
 * @param secretValues what was encrypted in git at the commit, when the pass rendered one (memory only, for masking)
 */
public record PassResult(
        AppState state,
        PassOutcome outcome,
        List<Fact> facts,
        Optional<Revision> commit,
        List<String> rejected,
        Optional<String> retry,
        Optional<RuntimeException> bug,
        Optional<Set<String>> secretValues) {

    public PassResult {
        facts = List.copyOf(facts);
        rejected = List.copyOf(rejected);
    }

    /** A pass that rendered nothing (so decrypted nothing). */
    public PassResult(
            AppState state,
            PassOutcome outcome,
            List<Fact> facts,
            Optional<Revision> commit,
            List<String> rejected,
            Optional<String> retry,
            Optional<RuntimeException> bug) {
        this(state, outcome, facts, commit, rejected, retry, bug, Optional.empty());
    }

    static PassResult of(StepResult result) {
        Settlement settled = Settlement.of(result);
        Pass pass = result.pass();
        return new PassResult(
                settled.state(),
                settled.outcome(),
                pass.facts(),
                pass.commit(),
                result instanceof StepResult.Stalled s ? s.reasons() : List.of(),
                result instanceof StepResult.Retry r ? Optional.of(r.reason()) : Optional.empty(),
                result instanceof StepResult.Crashed c ? Optional.of(c.bug()) : Optional.empty(),
                pass.rendered().isPresent() ? Optional.of(pass.secretValues()) : Optional.empty());
    }
}
