package dev.lockstep.reconcile.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static Duration[] delays(RetryPolicy policy, int failures) {
        return IntStream.rangeClosed(1, failures).mapToObj(policy::delayAfter).toArray(Duration[]::new);
    }

    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Test
    void delayDoublesUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(s(1), s(10));

        assertThat(delays(policy, 6)).containsExactly(s(1), s(2), s(4), s(8), s(10), s(10));
    }

    @Test
    void aFailedPassIsTriedAgainAfterOneTwoFourSecondsButNeverLaterThanTheAppsInterval() {
        assertThat(delays(ReconcileLoop.retryPolicy(s(30)), 7))
                .containsExactly(s(1), s(2), s(4), s(8), s(16), s(30), s(30));
    }

    @Test
    void anIntervalShorterThanOneSecondIsAlsoTheLongestRetry() {
        assertThat(ReconcileLoop.retryPolicy(Duration.ofMillis(200)).delayAfter(1))
                .isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aForbiddenWriteIsTriedAgainAfterFiveSecondsDoublingUpToFiveMinutes() {
        assertThat(delays(ForbiddenRetry.POLICY, 8))
                .containsExactly(s(5), s(10), s(20), s(40), s(80), s(160), s(300), s(300));
    }

    @Test
    void aLongRunOfFailuresStaysAtTheCapInsteadOfOverflowing() {
        RetryPolicy policy = new RetryPolicy(s(1), Duration.ofDays(365));

        assertThat(policy.delayAfter(40)).isEqualTo(s(1L << 16));
        assertThat(policy.delayAfter(Integer.MAX_VALUE)).isEqualTo(s(1L << 16));
    }

    @Test
    void failuresAreCountedFromOne() {
        assertThatThrownBy(() -> new RetryPolicy(s(1), s(10)).delayAfter(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("counted from 1, got 0");
    }

    @Test
    void eachAppsRunOfFailuresIsItsOwn() {
        RetryPolicy policy = new RetryPolicy(s(1), s(10));
        RetryState one = policy.start();
        RetryState other = policy.start();

        one.failed();
        one.failed();

        assertThat(one.failed()).isEqualTo(s(4));
        assertThat(other.failed()).isEqualTo(s(1));
        assertThat(one.failures()).isEqualTo(3);
    }

    @Test
    void aResetStartsTheDelaysOverFromTheFirst() {
        RetryState retry = new RetryPolicy(s(1), s(10)).start();
        retry.failed();
        retry.failed();

        retry.reset();

        assertThat(retry.failures()).isZero();
        assertThat(retry.failed()).isEqualTo(s(1));
    }
}
