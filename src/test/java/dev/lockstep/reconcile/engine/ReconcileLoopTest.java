package dev.lockstep.reconcile.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.RolloutWaits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconcileLoopTest {
    private final ReconcileLoop loop = new ReconcileLoop(List.of(), new Random(7), name -> true, name -> 0L);
    private final Duration interval = Duration.ofSeconds(30);

    private final RetryState retry = ReconcileLoop.retryPolicy(interval).start();

    @Test
    void pollsOnTheIntervalWithTenPercentJitter() {
        for (int i = 0; i < 200; i++) {
            assertThat(loop.nextDelay(interval, PassOutcome.UNCHANGED, retry))
                    .isBetween(Duration.ofSeconds(27), Duration.ofSeconds(33));
        }
    }

    @Test
    void retriesBackOffExponentiallyFromOneSecondUpToTheInterval() {
        assertThat(loop.nextDelay(interval, PassOutcome.RETRY, retry))
                .isBetween(Duration.ofMillis(900), Duration.ofMillis(1100));
        loop.nextDelay(interval, PassOutcome.RETRY, retry);
        assertThat(loop.nextDelay(interval, PassOutcome.RETRY, retry))
                .isBetween(Duration.ofMillis(3600), Duration.ofMillis(4400));
        for (int i = 0; i < 36; i++) {
            loop.nextDelay(interval, PassOutcome.RETRY, retry);
        }
        assertThat(loop.nextDelay(interval, PassOutcome.RETRY, retry))
                .isBetween(Duration.ofSeconds(27), Duration.ofSeconds(33));
    }

    @Test
    void aPassThatDoesNotBackOffStartsTheRetriesOverFromOneSecond() {
        loop.nextDelay(interval, PassOutcome.RETRY, retry);
        loop.nextDelay(interval, PassOutcome.ERROR, retry);
        loop.nextDelay(interval, PassOutcome.APPLIED, retry);

        assertThat(loop.nextDelay(interval, PassOutcome.RETRY, retry))
                .isBetween(Duration.ofMillis(900), Duration.ofMillis(1100));
    }

    @Test
    void aStalledCommitWaitsTheNormalIntervalNotABackoff() {
        assertThat(loop.nextDelay(interval, PassOutcome.STALLED, retry)).isGreaterThan(Duration.ofSeconds(26));
    }

    /**
     * A 10,000-Deployment daemon with a small heap took its Lease, then logged nothing and never showed a commit: an
     * Error (OutOfMemoryError) thrown out of a pass ended in the executor, and the app never had another pass.
     */
    @Test
    void anErrorThrownByAPassIsLoggedAndTheNextPassStillComes(@TempDir Path tmp) {
        try (PassFixture f = new PassFixture(tmp)) {
            f.cluster.failReads(new OutOfMemoryError("Java heap space (simulated)"));
            f.commitApp("hello:v1", "hello-app v1");
            AppReconciler app = f.reconciler();
            try (LogCapture log = new LogCapture(ReconcileLoop.class);
                    ReconcileLoop running = new ReconcileLoop(List.of(app), new Random(7), name -> true, name -> 0L)) {
                running.start();
                await("the Error logged with the app's name")
                        .atMost(RolloutWaits.DEFAULT_TIMEOUT)
                        .until(() -> log.linesWithCauses().stream()
                                .anyMatch(l -> l.contains("app hello") && l.contains("OutOfMemoryError")));
                f.cluster.clearFailures();

                await("a later pass applies the commit")
                        .atMost(RolloutWaits.DEFAULT_TIMEOUT)
                        .until(() -> app.status().commit() != null
                                && !app.status().commit().isEmpty());
            }
        }
    }

    /** The record's re-read at a new write term ran outside the pass's guard: one failure there ended the app's passes. */
    @Test
    void aFailureAtTheStartOfAWriteTermIsLoggedAndTheNextPassStillComes(@TempDir Path tmp) {
        try (PassFixture f = new PassFixture(tmp)) {
            f.commitApp("hello:v1", "hello-app v1");
            AppReconciler app = f.reconciler();
            AtomicInteger looks = new AtomicInteger();
            ToLongFunction<String> term = name -> {
                if (looks.getAndIncrement() == 0) {
                    throw new IllegalStateException("write term unreadable (simulated)");
                }
                return 1L;
            };
            try (LogCapture log = new LogCapture(ReconcileLoop.class);
                    ReconcileLoop running = new ReconcileLoop(List.of(app), new Random(7), name -> true, term)) {
                running.start();
                await("the failure logged with the app's name")
                        .atMost(RolloutWaits.DEFAULT_TIMEOUT)
                        .until(() -> log.linesWithCauses().stream()
                                .anyMatch(l -> l.contains("app hello") && l.contains("write term unreadable")));

                await("a later pass applies the commit")
                        .atMost(RolloutWaits.DEFAULT_TIMEOUT)
                        .until(() -> app.status().commit() != null
                                && !app.status().commit().isEmpty());
            }
        }
    }

    @Test
    void aLongPassSaysInTheLogWhatItIsDoingUntilItEnds(@TempDir Path tmp) {
        try (PassFixture f = new PassFixture(tmp)) {
            CountDownLatch release = new CountDownLatch(1);
            f.cluster.holdReads(release);
            f.commitApp("hello:v1", "hello-app v1");
            AppReconciler app = f.reconciler();
            try (LogCapture log = new LogCapture(ReconcileLoop.class);
                    ReconcileLoop running = new ReconcileLoop(
                            List.of(app),
                            new Random(7),
                            name -> true,
                            name -> 0L,
                            Duration.ofMillis(200),
                            Duration.ZERO)) {
                running.start();
                await("a progress line while the pass waits")
                        .atMost(RolloutWaits.DEFAULT_TIMEOUT)
                        .until(() -> log.lines().stream()
                                .anyMatch(l -> l.contains("app hello: pass running for")
                                        && l.contains("now at step PlanChanges")));
                release.countDown();

                await("the pass ends and applies the commit")
                        .atMost(RolloutWaits.DEFAULT_TIMEOUT)
                        .until(() -> !app.status().commit().isEmpty());
                assertThat(app.progress(Duration.ZERO)).isEmpty();
            } finally {
                release.countDown();
            }
        }
    }
}
