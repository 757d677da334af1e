package dev.lockstep.notify;

import java.util.List;

/** Hands each notice to the queues of the destinations that want it; never blocks the caller. */
public final class Notifier implements AutoCloseable {
    /** Notices one destination may hold while its receiver is slow or down. */
    public static final int QUEUE_CAPACITY = 100;

    private static final Notifier NONE = new Notifier();

    private final List<Route> routes;
    private final List<DestinationQueue> queues;

    private Notifier() {
        this.routes = List.of();
        this.queues = List.of();
    }

    public Notifier(List<Route> routes, Sender sender, int capacity, NotificationCounter counter) {
        this.routes = List.copyOf(routes);
        this.queues = this.routes.stream()
                .map(r -> new DestinationQueue(r, sender, capacity, counter))
                .toList();
    }

    /** No destinations: nothing to send, and no HTTP client or thread made for it. */
    public static Notifier none() {
        return NONE;
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }

    public void send(Notice n) {
        for (int i = 0; i < routes.size(); i++) {
            if (routes.get(i).wants(n)) {
                queues.get(i).offer(n);
            }
        }
    }

    @Override
    public void close() {
        queues.forEach(DestinationQueue::close);
    }
}
