package dev.lockstep.server;

import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each request to the route whose prefix matches a whole path segment ({@code /status} takes
 * {@code /status} and {@code /status/x}, not {@code /statusx}), answers 404 for the rest, logs every request at debug
 * and turns a failing handler into a bare 500: no stack trace leaves. A body that does not arrive in time is 408, and
 * the connection is closed; a client that breaks the connection is logged at debug only (it is not the server's
 * fault).
 */
final class Router {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    private final Map<String, Route> routes;

    Router(Map<String, Route> routes) {
        this.routes = Map.copyOf(routes);
    }

    void handle(Exchange exchange) {
        long start = System.nanoTime();
        String method = exchange.method();
        String path = exchange.path();
        try {
            dispatch(exchange, path);
        } catch (Exchange.SlowBody e) {
            log.debug("{} {}: {}", method, path, e.getMessage());
            answerIfNothingSent(exchange, 408, "request body too slow");
        } catch (IOException e) {
            // reading the request or writing the answer failed: the client went away or broke the connection
            log.debug("{} {}: connection failed: {}", method, path, e.toString());
            answerIfNothingSent(exchange, 400, "connection failed");
        } catch (Exception e) {
            log.warn("{} {} failed", method, path, e);
            answerIfNothingSent(exchange, 500, "internal error");
        } finally {
            // the path only: a query string could carry a token
            log.debug("{} {} -> {} in {} ms", method, path, exchange.status(), (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static void answerIfNothingSent(Exchange exchange, int status, String message) {
        if (exchange.status() == -1) {
            try {
                exchange.setHeader("Connection", "close");
                Responses.error(exchange, status, message);
            } catch (Exception ignored) {
                // the client is gone; nothing left to tell it
            }
        }
    }

    private void dispatch(Exchange exchange, String path) throws Exception {
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
