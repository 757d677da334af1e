package dev.lockstep.reconcile.pass;

import java.util.List;

/** What a step says comes next. Only {@link Continue} lets the following step run. */
sealed interface StepResult {
    Pass pass();

    /** Go on with the next step. */
    record Continue(Pass pass) implements StepResult {}

    /** The pass is complete; the app is at its commit. */
    record Done(Pass pass) implements StepResult {}

    /**
     * The pass's commit cannot be applied as it is; nothing more is tried until a new commit.
     *
     * @param reasons each naming file and line where it can; empty when this stall was already reported
     */
    record Stalled(Pass pass, List<String> reasons) implements StepResult {
        public Stalled {
            reasons = List.copyOf(reasons);
        }
    }

    /** Git or the cluster failed in a way that may pass: try again with backoff. */
    record Retry(Pass pass, String reason) implements StepResult {}

    /** A bug: an exception no step expected. Only the runner makes this. */
    record Crashed(Pass pass, RuntimeException bug) implements StepResult {}
}
