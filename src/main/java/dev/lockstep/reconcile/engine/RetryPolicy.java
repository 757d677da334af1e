package dev.lockstep.reconcile.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait after failures in a row: {@code first} after the first, doubling after each further one, never
 * more than {@code cap}. Immutable and free of time: the caller adds the delay to its own clock. Each app keeps its
 * own run of failures in a {@link RetryState}.
 *
 * @param first the wait after one failure
 * @param cap the longest wait, however many failures
 */
record RetryPolicy(Duration first, Duration cap) {
    /** Doubling stops here (about 18 hours from 1 s), long before the milliseconds overflow. */
    private static final int MAX_DOUBLINGS = 16;

    RetryPolicy {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(cap, "cap");
        if (first.isNegative() || cap.isNegative()) {
            throw new IllegalArgumentException("retry delays cannot be negative: first " + first + ", cap " + cap);
        }
    }

    /** The wait after the {@code failures}-th failure in a row (counted from 1). */
    Duration delayAfter(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures are counted from 1, got " + failures);
        }
        long millis = first.toMillis() << Math.min(failures - 1, MAX_DOUBLINGS);
        return Duration.ofMillis(Math.min(millis, cap.toMillis()));
    }

    /** A fresh run of failures under this policy, for one app. */
    RetryState start() {
        return new RetryState(this);
    }
}
