package dev.lockstep.server;

import java.util.concurrent.Semaphore;

/**
 * Caps how many requests of the ordinary routes run at once. One more is refused at once with 503 rather than queued:
 * a queued request would hold a server thread while it waits, and enough of them would leave none for the probes.
 */
final class Bulkhead {
    private final int permits;
    private final Semaphore free;

    Bulkhead(int permits) {
        if (permits <= 0) {
            throw new IllegalArgumentException("permits must be positive");
        }
        this.permits = permits;
        this.free = new Semaphore(permits);
    }

    Route guard(Route route) {
        return (exchange, rest) -> {
            if (!free.tryAcquire()) {
                exchange.setHeader("Retry-After", "1");
                Responses.error(exchange, 503, "busy: " + permits + " requests in progress");
                return;
            }
            try {
                route.handle(exchange, rest);
            } finally {
                free.release();
            }
        };
    }
}
