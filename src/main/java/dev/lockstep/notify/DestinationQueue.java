package dev.lockstep.notify;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One destination's bounded queue and the thread that sends from it, so a slow or silent receiver delays only its own
 * notices, never a pass. When the queue is full the oldest notice is dropped (and counted): the newest say most about
 * now.
 */
final class DestinationQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DestinationQueue.class);

    private final Route route;
    private final Sender sender;
    private final int capacity;
    private final NotificationCounter counter;
    private final Deque<Notice> queue = new ArrayDeque<>();
    private final Thread worker;
    private boolean closed;

    DestinationQueue(Route route, Sender sender, int capacity, NotificationCounter counter) {
        this.route = route;
        this.sender = sender;
        this.capacity = capacity;
        this.counter = counter;
        this.worker = new Thread(this::work, "notify-" + route.name());
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Never blocks. */
    void offer(Notice n) {
        Notice dropped = null;
        synchronized (queue) {
            if (closed) {
                return;
            }
            if (queue.size() >= capacity) {
                dropped = queue.pollFirst();
            }
            queue.addLast(n);
            queue.notifyAll();
        }
        if (dropped != null) {
            counter.count(route.name(), dropped.event().id(), NotificationCounter.DROPPED);
            log.warn(
                    "notification {} of app {} to {} dropped: its queue is full ({} waiting)",
                    dropped.event().id(),
                    dropped.app(),
                    route.name(),
                    capacity);
        }
    }

    private void work() {
        try {
            while (true) {
                Notice next;
                synchronized (queue) {
                    while (queue.isEmpty() && !closed) {
                        queue.wait();
                    }
                    if (closed) {
                        return;
                    }
                    next = queue.pollFirst();
                }
                deliver(next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Notice n) throws InterruptedException {
        var request = route.destination().request(n);
        if (request.isEmpty()) {
            return; // e.g. a commit status has no state for "reverted"
        }
        try (MDC.MDCCloseable app = MDC.putCloseable("app", n.app());
                MDC.MDCCloseable commit = MDC.putCloseable("commit", n.commit());
                MDC.MDCCloseable event = MDC.putCloseable("event", n.event().id())) {
            Sender.Result result;
            try {
                result = sender.send(request.get());
            } catch (RuntimeException e) { // a bug or a bad url: the worker must live on
                result = new Sender.Result(1, java.util.Optional.of(e.getClass().getSimpleName()));
            }
            if (result.delivered()) {
                counter.count(route.name(), n.event().id(), NotificationCounter.SENT);
            } else {
                counter.count(route.name(), n.event().id(), NotificationCounter.FAILED);
                log.warn(
                        "notification {} of app {} (commit {}) to {} ({}) failed after {} attempt(s): {}",
                        n.event().id(),
                        n.app(),
                        n.shortSha(),
                        route.name(),
                        route.destination().type(),
                        result.attempts(),
                        result.failure().orElse(""));
            }
        }
    }

    /** Stops the sender; what still waits is not sent. */
    @Override
    public void close() {
        synchronized (queue) {
            closed = true;
            queue.notifyAll();
        }
        worker.interrupt();
    }

    int waiting() {
        synchronized (queue) {
            return queue.size();
        }
    }
}
