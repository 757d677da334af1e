package dev.lockstep.reconcile.engine;

import java.time.Duration;

/**
 * One app's current run of failures under a {@link RetryPolicy}. One per app and retry kind; not thread-safe (an
 * app's passes run one at a time, on its own thread).
 */
final class RetryState {
    private final RetryPolicy policy;
    private int failures;

    RetryState(RetryPolicy policy) {
        this.policy = policy;
    }

    /** Counts one more failure in a row and returns how long to wait before trying again. */
    Duration failed() {
        failures++;
        return policy.delayAfter(failures);
    }

    /** The run ended (a success, or a failure of another kind): the next failure waits the policy's first delay. */
    void reset() {
        failures = 0;
    }

    /** Failures in the current run; 0 when there is none. */
    int failures() {
        return failures;
    }
}
