package dev.lockstep.testbed;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an API call on the scheduler and re-schedules it (never sleeps) on conflicts, throttling, server errors
 * and I/O failures, with exponential backoff. Anything else fails the returned future at once.
 */
final class Retrier {

    private static final Logger log = LoggerFactory.getLogger(Retrier.class);

    private final ScheduledExecutorService scheduler;
    private final int maxAttempts;
    private final Duration firstBackoff;

    Retrier(ScheduledExecutorService scheduler, int maxAttempts, Duration firstBackoff) {
        this.scheduler = scheduler;
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
    }

    CompletableFuture<Void> submit(String what, Duration delay, Runnable action) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        schedule(what, action, 1, delay, result);
        return result;
    }

    static boolean isRetryable(KubernetesClientException e) {
        int code = e.getCode();
        return code == 0 || code == 409 || code == 429 || code >= 500;
    }

    static boolean isNotFound(Throwable t) {
        return t instanceof KubernetesClientException e && e.getCode() == 404;
    }

    private void schedule(String what, Runnable action, int attempt, Duration delay, CompletableFuture<Void> result) {
        try {
            scheduler.schedule(() -> attempt(what, action, attempt, result), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e); // shutting down
        }
    }

    private void attempt(String what, Runnable action, int attempt, CompletableFuture<Void> result) {
        try {
            action.run();
            result.complete(null);
        } catch (KubernetesClientException e) {
            if (isRetryable(e) && attempt < maxAttempts) {
                Duration backoff = firstBackoff.multipliedBy(1L << Math.min(attempt - 1, 10));
                log.debug(
                        "{} failed (HTTP {}), attempt {} of {}, retrying in {} ms",
                        what,
                        e.getCode(),
                        attempt,
                        maxAttempts,
                        backoff.toMillis());
                schedule(what, action, attempt + 1, backoff, result);
            } else {
                result.completeExceptionally(e);
            }
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }
}
