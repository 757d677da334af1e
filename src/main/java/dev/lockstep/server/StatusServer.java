package dev.lockstep.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The daemon's HTTP endpoint:
 * <ul>
 *   <li>{@code GET /metrics} Prometheus text ({@link MetricsHandler});</li>
 *   <li>{@code GET /healthz} 200 "ok" while the process runs, 503 when only a restart helps (see {@link Endpoints#liveness()});</li>
 *   <li>{@code GET /readyz} 200 once started, else 503 with the reason ({@link Readiness});</li>
 *   <li>{@code GET /status}, {@code GET /status/{app}} JSON (shape in {@link StatusJson}), behind the page's token
 *       when it has one;</li>
 *   <li>{@code POST /webhook}, {@code POST /webhook/{app}} authenticated trigger ({@link WebhookHandler});</li>
 *   <li>with a {@link StatusPage}: {@code GET /} the page, {@code /assets/*}, {@code /api/*} its JSON feeds and
 *       {@code /events} its server-sent events (and {@code POST /login} when it has a token).</li>
 * </ul>
 * Everything else is 404.
 *
 * <p>Why Jetty and not the JDK's {@code com.sun.net.httpserver}: the JDK server reads each request's line and headers
 * on a worker thread, with no read timeout, so forty clients that send half a request and stall hold every worker and
 * {@code /healthz} goes unanswered (the kubelet then restarts a healthy pod). Jetty parses headers as bytes arrive,
 * holding no thread while a client is silent, closes a silent connection after {@link Limits#idleTimeout()}, and caps
 * connections. On top of that, the ordinary routes share {@link Limits#workers()} permits ({@link Bulkhead}) and the
 * event streams their own slots, and the pool has threads beyond both: the probes always find one.
 *
 * <p>Starts in the constructor; {@link #close()} stops at once.
 */
public final class StatusServer implements AutoCloseable {
    /** Routes that never wait for a permit: the probes (cheap, and must answer while the rest is busy) and the event
     * streams (capped by their own slots, with threads of their own). */
    private static final Set<String> UNMETERED = Set.of("/healthz", "/readyz", "/events");
    /** Threads for the probes and Jetty's selector, beyond the workers and the event streams. */
    private static final int SPARE_THREADS = 4;

    /**
     * How much a client may take.
     *
     * @param idleTimeout    a connection silent this long is closed: one that stalls in its request line or headers, a
     *                       kept-alive one between requests, one that stops reading its response. No thread is held
     *                       while a connection waits for its headers.
     * @param bodyTimeout    a request body (webhook, login form) must have arrived in full within this; else 408 and the
     *                       connection is closed. It also bounds discarding, after the answer, a body a route answered
     *                       without reading (a 401 webhook)
     * @param maxConnections open connections at most; beyond it new ones wait to be accepted
     * @param workers        requests of the ordinary routes (everything but the probes and event streams) handled at
     *                       once; one more is 503 at once
     */
    public record Limits(Duration idleTimeout, Duration bodyTimeout, int maxConnections, int workers) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10), 512, 8);

        public Limits {
            if (idleTimeout.isNegative() || idleTimeout.isZero() || bodyTimeout.isNegative() || bodyTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (maxConnections <= 0 || workers <= 0) {
                throw new IllegalArgumentException("maxConnections and workers must be positive");
            }
        }
    }

    private final Server server;
    private final ServerConnector connector;

    /** Binds and starts; port 0 picks a free port (see {@link #port()}). */
    public StatusServer(InetSocketAddress bind, Endpoints endpoints) throws IOException {
        this(bind, endpoints, Limits.DEFAULT);
    }

    public StatusServer(InetSocketAddress bind, Endpoints endpoints, Limits limits) throws IOException {
        Router router = new Router(routes(endpoints, new Bulkhead(limits.workers())));
        int eventStreams = endpoints.page().map(StatusPage::maxEventClients).orElse(0);
        QueuedThreadPool threads = new QueuedThreadPool(limits.workers() + eventStreams + SPARE_THREADS, 2);
        threads.setName("http");
        threads.setDaemon(true);
        threads.setReservedThreads(0);
        threads.setStopTimeout(1000);
        this.server = new Server(threads, new ScheduledExecutorScheduler("http-timeouts", true), null);
        server.setStopTimeout(0);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Jetty reuses header values seen earlier on a connection, matched case-insensitively by default: a token that
        // differs from an earlier one only in case would be read as the earlier one.
        http.setHeaderCacheCaseSensitive(true);
        // "//" in a path is the routes' 404, as before, not the server's 400
        http.setUriCompliance(UriCompliance.DEFAULT.with("lockstep", UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
        this.connector = new ServerConnector(server, 0, 1, new HttpConnectionFactory(http));
        connector.setHost(
                bind.getAddress().isAnyLocalAddress() ? null : bind.getAddress().getHostAddress());
        connector.setPort(bind.getPort());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        server.setErrorHandler(new JsonErrors());
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Exchange exchange = new Exchange(request, response, limits.bodyTimeout());
                router.handle(exchange);
                exchange.discardUnreadBody(callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IOException("cannot start the HTTP server: " + e.getMessage(), e);
        }
    }

    private static Map<String, Route> routes(Endpoints endpoints, Bulkhead bulkhead) {
        Optional<UiToken> token = endpoints.page().flatMap(StatusPage::token);
        Map<String, Route> routes = new LinkedHashMap<>(Map.of(
                "/metrics", new MetricsHandler(endpoints.metrics()),
                "/healthz", new HealthHandler(endpoints.liveness()),
                "/readyz", new ReadyHandler(endpoints.readiness()),
                "/status",
                        PageAuth.guard(token, "/status", new StatusHandler(endpoints.statuses(), endpoints.owners())),
                "/webhook",
                        new WebhookHandler(
                                endpoints.webhookSecret(), endpoints.trigger(), endpoints.maxWebhookBytes())));
        endpoints.page().ifPresent(page -> routes.putAll(page.routes()));
        Map<String, Route> metered = new LinkedHashMap<>();
        routes.forEach(
                (prefix, route) -> metered.put(prefix, UNMETERED.contains(prefix) ? route : bulkhead.guard(route)));
        return metered;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public InetSocketAddress address() {
        String host = connector.getHost();
        return host == null ? new InetSocketAddress(port()) : new InetSocketAddress(host, port());
    }

    /** Closes the socket without waiting for exchanges in flight; they are interrupted. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping: nothing left to serve, nothing to tell
        }
    }

    /**
     * What the server itself answers (a request line or header it cannot parse, headers too large): {@code {"error":
     * "<reason>"}} like every other error here, with the status' standard reason only (no parser detail).
     */
    private static final class JsonErrors extends ErrorHandler {
        @Override
        protected boolean generateAcceptableResponse(
                Request request,
                Response response,
                Callback callback,
                String contentType,
                List<Charset> charsets,
                int code,
                String message,
                Throwable cause) {
            String reason = Optional.ofNullable(HttpStatus.getMessage(code)).orElse("error");
            byte[] body = Responses.jsonLine(Map.of("error", reason)).getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, Responses.JSON_TYPE);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
    }
}
