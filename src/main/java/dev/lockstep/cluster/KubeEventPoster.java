package dev.lockstep.cluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts {@link KubeEvent}s as core/v1 Events, off the reconcile thread: one daemon thread with a bounded queue.
 * Best effort: when the queue is full or the API server refuses, the event is dropped and logged at debug.
 * {@link #close()} sends what is queued (bounded wait).
 */
public final class KubeEventPoster implements EventSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KubeEventPoster.class);
    private static final int QUEUE = 512;
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final KubernetesClient client;
    private final Clock clock;
    private final ThreadPoolExecutor executor;
    private final AtomicLong sequence = new AtomicLong();

    public KubeEventPoster(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.executor = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "events");
                    t.setDaemon(true);
                    return t;
                },
                (r, e) -> log.debug("event dropped: queue full or poster closed"));
    }

    @Override
    public void post(KubeEvent event) {
        // stamped now, on the caller's thread: the time is when it happened, not when the queue got to it
        Event built = event.toEvent(clock.instant(), sequence.incrementAndGet());
        try {
            executor.execute(() -> send(event, built));
        } catch (RejectedExecutionException e) {
            log.debug("event {} on {}/{} dropped", event.reason(), event.kind(), event.name());
        }
    }

    /** Sends what is queued (up to a few seconds), then stops; later events are dropped. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    private void send(KubeEvent event, Event built) {
        try {
            client.v1()
                    .events()
                    .inNamespace(event.eventNamespace())
                    .resource(built)
                    .create();
        } catch (RuntimeException e) {
            // best effort: a missing event must never fail or slow down a reconcile
            log.debug("cannot post event {} on {}/{}: {}", event.reason(), event.kind(), event.name(), e.getMessage());
        }
    }
}
