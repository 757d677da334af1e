package dev.lockstep.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Writing responses; every handler answers through here so headers and encodings are the same everywhere. */
final class Responses {
    static final String TEXT = "text/plain; charset=utf-8";
    static final String JSON_TYPE = "application/json";
    /** Immutable and thread-safe once built. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Responses() {}

    static void send(Exchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.setHeader("Content-Type", contentType);
        exchange.setHeader("Cache-Control", "no-store");
        exchange.respond(status, body);
    }

    static void text(Exchange exchange, int status, String body) throws IOException {
        send(exchange, status, TEXT, (body + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static void json(Exchange exchange, int status, Object body) throws IOException {
        send(exchange, status, JSON_TYPE, JSON.writeValueAsBytes(body));
    }

    /** One line of JSON (no line breaks: it fits an event stream's {@code data:} field). */
    static String jsonLine(Object body) {
        return JSON.writeValueAsString(body);
    }

    static void error(Exchange exchange, int status, String message) throws IOException {
        json(exchange, status, Map.of("error", message));
    }

    static void notFound(Exchange exchange) throws IOException {
        error(exchange, 404, "not found");
    }

    /** 405 with the Allow header; true when the method was not the allowed one (and the answer was sent). */
    static boolean refuseOtherThan(Exchange exchange, String method) throws IOException {
        if (exchange.method().equals(method)) {
            return false;
        }
        exchange.setHeader("Allow", method);
        error(exchange, 405, "method not allowed");
        return true;
    }
}
