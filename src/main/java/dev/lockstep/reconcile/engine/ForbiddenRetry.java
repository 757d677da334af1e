package dev.lockstep.reconcile.engine;

import dev.lockstep.reconcile.pass.AppState;
import dev.lockstep.reconcile.pass.Fact;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.pass.PassResult;
import dev.lockstep.reconcile.pass.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A commit refused because the API server forbade a write (RBAC) is not stalled for good, unlike a bad manifest: the
 * fix is in the cluster (a Role granted), not in git. So the same commit is tried again after a capped backoff (5 s,
 * 10 s, 20 s, … at most 5 minutes, and never sooner than the app's next pass), and each refusal is reported again
 * meanwhile. One per app; not thread-safe (the loop runs one pass of an app at a time).
 */
final class ForbiddenRetry {
    static final RetryPolicy POLICY = new RetryPolicy(Duration.ofSeconds(5), Duration.ofMinutes(5));

    private final RetryState refusals = POLICY.start();
    private Optional<Instant> due = Optional.empty();

    /** Before a pass: the stall lifted when its retry is due, so the pass plans the same commit again. */
    AppState beforePass(AppState state, Instant now) {
        if (due.isPresent() && !now.isBefore(due.get()) && state.stalledCommit().isPresent()) {
            return state.unstalled();
        }
        return state;
    }

    /** After a pass: a write refused by RBAC schedules the next try (and says when in the status); anything else resets. */
    AppState afterPass(PassResult result, Instant now) {
        AppState state = result.state();
        if (result.outcome() != PassOutcome.STALLED) {
            reset();
            return state;
        }
        if (result.rejected().isEmpty()) {
            return state; // the same stall as before, not planned again: its retry stays as scheduled
        }
        if (result.facts().stream().noneMatch(f -> f instanceof Fact.WriteForbidden)) {
            reset(); // stalled for another reason (a bad manifest): only a new commit helps
            return state;
        }
        Duration wait = refusals.failed();
        due = Optional.of(now.plus(wait));
        return state.withProblem(state.problem()
                .map(p -> new Problem(
                        p.health(),
                        p.message() + "; a write was forbidden: the same commit is tried again in " + wait.toSeconds()
                                + " s (refusal " + refusals.failures() + ")",
                        p.errors())));
    }

    private void reset() {
        due = Optional.empty();
        refusals.reset();
    }
}
