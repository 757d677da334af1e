package dev.lockstep.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each request to the route whose prefix matches a whole path segment ({@code /status} takes
 * {@code /status} and {@code /status/x}, not {@code /statusx}; the JDK's own context matching would take it), answers
 * 404 for the rest, logs every request at debug and turns a failing handler into a bare 500: no stack trace leaves.
 */
final class Router implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    private final Map<String, Route> routes;

    Router(Map<String, Route> routes) {
        this.routes = Map.copyOf(routes);
    }

    @Override
    public void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        try {
            dispatch(exchange, path == null ? "" : path);
        } catch (Exception e) {
            log.warn("{} {} failed", method, path, e);
            if (exchange.getResponseCode() == -1) {
                try {
                    Responses.error(exchange, 500, "internal error");
                } catch (Exception ignored) {
                    // the client is gone; nothing left to tell it
                }
            }
        } finally {
            exchange.close();
            // the path only: a query string could carry a token
            log.debug(
                    "{} {} -> {} in {} ms",
                    method,
                    path,
                    exchange.getResponseCode(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private void dispatch(HttpExchange exchange, String path) throws Exception {
        for (Map.Entry<String, Route> e : routes.entrySet()) {
            String prefix = e.getKey();
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                e.getValue().handle(exchange, path.substring(prefix.length()));
                return;
            }
        }
        Responses.notFound(exchange);
    }
}
