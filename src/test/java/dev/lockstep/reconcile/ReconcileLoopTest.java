package dev.lockstep.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReconcileLoopTest {
    private final ReconcileLoop loop = new ReconcileLoop(List.of(), new Random(7), () -> true);
    private final Duration interval = Duration.ofSeconds(30);

    @Test
    void pollsOnTheIntervalWithTenPercentJitter() {
        for (int i = 0; i < 200; i++) {
            assertThat(loop.nextDelay(interval, PassOutcome.UNCHANGED, 0))
                    .isBetween(Duration.ofSeconds(27), Duration.ofSeconds(33));
        }
    }

    @Test
    void retriesBackOffExponentiallyFromOneSecondUpToTheInterval() {
        assertThat(loop.nextDelay(interval, PassOutcome.RETRY, 1))
                .isBetween(Duration.ofMillis(900), Duration.ofMillis(1100));
        assertThat(loop.nextDelay(interval, PassOutcome.RETRY, 3))
                .isBetween(Duration.ofMillis(3600), Duration.ofMillis(4400));
        assertThat(loop.nextDelay(interval, PassOutcome.RETRY, 40))
                .isBetween(Duration.ofSeconds(27), Duration.ofSeconds(33));
    }

    @Test
    void aStalledCommitWaitsTheNormalIntervalNotABackoff() {
        assertThat(loop.nextDelay(interval, PassOutcome.STALLED, 0)).isGreaterThan(Duration.ofSeconds(26));
    }
}
