package dev.lockstep.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon's HTTP endpoint on the JDK's built-in server (no extra dependency):
 * <ul>
 *   <li>{@code GET /metrics} Prometheus text ({@link MetricsHandler});</li>
 *   <li>{@code GET /healthz} 200 "ok" while the process runs;</li>
 *   <li>{@code GET /readyz} 200 once started, else 503 with the reason ({@link Readiness});</li>
 *   <li>{@code GET /status}, {@code GET /status/{app}} JSON (shape in {@link StatusJson});</li>
 *   <li>{@code POST /webhook}, {@code POST /webhook/{app}} authenticated trigger ({@link WebhookHandler}).</li>
 * </ul>
 * Everything else is 404. Requests run on a small fixed pool with a short queue; beyond that the JDK server drops the
 * connection rather than queue without bound. Starts in the constructor; {@link #close()} stops at once.
 */
public final class StatusServer implements AutoCloseable {
    public static final int DEFAULT_THREADS = 4;
    private static final int QUEUE = 64;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;

    /** Binds and starts; port 0 picks a free port (see {@link #port()}). */
    public StatusServer(InetSocketAddress bind, Endpoints endpoints) throws IOException {
        this(bind, endpoints, DEFAULT_THREADS);
    }

    public StatusServer(InetSocketAddress bind, Endpoints endpoints, int threads) throws IOException {
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(
                threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "http-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.server = HttpServer.create(bind, 0);
        server.createContext(
                "/",
                new Router(Map.of(
                        "/metrics", new MetricsHandler(endpoints.metrics()),
                        "/healthz", new HealthHandler(),
                        "/readyz", new ReadyHandler(endpoints.readiness()),
                        "/status", new StatusHandler(endpoints.statuses()),
                        "/webhook",
                                new WebhookHandler(
                                        endpoints.webhookSecret(), endpoints.trigger(), endpoints.maxWebhookBytes()))));
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Closes the socket without waiting for exchanges in flight; they are interrupted. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
