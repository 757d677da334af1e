package dev.lockstep.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code GET /events}: server-sent events for the page. A client gets the current snapshot at once, then every change
 * as it happens, and a comment line as a heartbeat when nothing happened for a while (proxies keep the stream open, a
 * dead client is noticed). At most {@code maxClients} streams are open at once, each holding one of the HTTP server's
 * threads, which has that many threads on top of its usual ones: streams cannot starve {@code /metrics} or
 * {@code /healthz}. One more client gets 503. A client that cannot keep up (its queue full) is dropped; the browser
 * reconnects and starts from a fresh snapshot. A client that stops reading is dropped once a write has waited two
 * heartbeats and ten seconds.
 *
 * <p>Framing ({@code text/event-stream}, chunked): {@code retry: 3000}, then per event {@code event: <name>},
 * {@code data: <one line of JSON>} and a blank line; heartbeats are {@code : keepalive}.
 */
final class EventStream implements Route {
    static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";
    private static final int QUEUE = 32;
    private static final Duration SILENCE_MARGIN = Duration.ofSeconds(10);

    private final int maxClients;
    private final Semaphore slots;
    private final Duration heartbeat;
    private final Supplier<String> snapshot;
    private final String snapshotEvent;
    private final Set<BlockingQueue<String>> clients = ConcurrentHashMap.newKeySet();

    /**
     * @param snapshotEvent the name of the event the snapshot is sent as
     * @param snapshot      the current state, one line of JSON, sent to each client when it connects
     */
    EventStream(int maxClients, Duration heartbeat, String snapshotEvent, Supplier<String> snapshot) {
        this.maxClients = maxClients;
        this.slots = new Semaphore(maxClients);
        this.heartbeat = heartbeat;
        this.snapshotEvent = snapshotEvent;
        this.snapshot = snapshot;
    }

    int maxClients() {
        return maxClients;
    }

    int clients() {
        return clients.size();
    }

    /** Sends an event to every connected client. Never blocks. */
    void broadcast(String event, String jsonLine) {
        String frame = frame(event, jsonLine);
        for (BlockingQueue<String> q : clients) {
            if (!q.offer(frame)) {
                q.clear();
                q.offer(CLOSE);
            }
        }
    }

    /** A sentinel: the client fell behind and is closed. */
    private static final String CLOSE = "";

    static String frame(String event, String data) {
        StringBuilder out = new StringBuilder("event: ").append(event).append('\n');
        for (String line : data.split("\r\n|\r|\n", -1)) {
            out.append("data: ").append(line).append('\n');
        }
        return out.append('\n').toString();
    }

    @Override
    public void handle(Exchange exchange, String rest) throws IOException {
        if (!rest.isEmpty()) {
            Responses.notFound(exchange);
            return;
        }
        if (Responses.refuseOtherThan(exchange, "GET")) {
            return;
        }
        if (!slots.tryAcquire()) {
            exchange.setHeader("Retry-After", "10");
            Responses.error(exchange, 503, "too many event streams open (at most " + maxClients + ")");
            return;
        }
        BlockingQueue<String> queue = new LinkedBlockingQueue<>(QUEUE);
        try {
            exchange.setHeader("Content-Type", CONTENT_TYPE);
            exchange.setHeader("Cache-Control", "no-store");
            exchange.setHeader("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
            // a client that stops reading blocks a write; past this much silence the write fails and frees the thread
            exchange.allowSilenceOf(heartbeat.multipliedBy(2).plus(SILENCE_MARGIN));
            exchange.openStream(200); // chunked, open until either side closes
            clients.add(queue);
            write(exchange, "retry: 3000\n\n" + frame(snapshotEvent, snapshot.get()));
            while (true) {
                String next = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (next == null) {
                    write(exchange, ": keepalive\n\n");
                } else if (next.equals(CLOSE)) {
                    return;
                } else {
                    write(exchange, next);
                }
            }
        } catch (IOException e) {
            // the client went away: nothing to tell anyone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping
        } finally {
            clients.remove(queue);
            slots.release();
        }
    }

    private static void write(Exchange exchange, String text) throws IOException {
        exchange.stream(text.getBytes(StandardCharsets.UTF_8));
    }
}
