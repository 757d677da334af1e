package dev.lockstep.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon's HTTP endpoint on the JDK's built-in server (no extra dependency):
 * <ul>
 *   <li>{@code GET /metrics} Prometheus text ({@link MetricsHandler});</li>
 *   <li>{@code GET /healthz} 200 "ok" while the process runs, 503 when only a restart helps (see {@link Endpoints#liveness()});</li>
 *   <li>{@code GET /readyz} 200 once started, else 503 with the reason ({@link Readiness});</li>
 *   <li>{@code GET /status}, {@code GET /status/{app}} JSON (shape in {@link StatusJson});</li>
 *   <li>{@code POST /webhook}, {@code POST /webhook/{app}} authenticated trigger ({@link WebhookHandler});</li>
 *   <li>with a {@link StatusPage}: {@code GET /} the page, {@code /assets/*}, {@code /api/*} its JSON feeds and
 *       {@code /events} its server-sent events (and {@code POST /login} when it has a token).</li>
 * </ul>
 * Everything else is 404. Requests run on a small fixed pool with a short queue; beyond that the JDK server drops the
 * connection rather than queue without bound. Each open event stream holds a thread, so the pool has one more thread
 * per stream the page allows: streams never starve the other endpoints. Starts in the constructor; {@link #close()}
 * stops at once.
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
        int poolSize =
                threads + endpoints.page().map(StatusPage::maxEventClients).orElse(0);
        this.executor = new ThreadPoolExecutor(
                poolSize, poolSize, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "http-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.server = HttpServer.create(bind, 0);
        Map<String, Route> routes = new HashMap<>(Map.of(
                "/metrics", new MetricsHandler(endpoints.metrics()),
                "/healthz", new HealthHandler(endpoints.liveness()),
                "/readyz", new ReadyHandler(endpoints.readiness()),
                "/status", new StatusHandler(endpoints.statuses()),
                "/webhook",
                        new WebhookHandler(
                                endpoints.webhookSecret(), endpoints.trigger(), endpoints.maxWebhookBytes())));
        endpoints.page().ifPresent(page -> routes.putAll(page.routes()));
        server.createContext("/", new Router(routes));
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
