package dev.lockstep.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /login} with the form field {@code token}: when it matches, a session cookie ({@link
 * UiToken#sessionCookie()}) and 303 back to the page; otherwise 401 and the form again. Only there when a token is
 * configured. It changes nothing but the browser's cookie.
 */
final class LoginHandler implements Route {
    private static final int MAX_BODY = 4096;
    private final UiToken token;

    LoginHandler(UiToken token) {
        this.token = token;
    }

    @Override
    public void handle(HttpExchange exchange, String rest) throws IOException {
        if (!rest.isEmpty()) {
            Responses.notFound(exchange);
            return;
        }
        if (Responses.refuseOtherThan(exchange, "POST")) {
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            exchange.getResponseHeaders().set("Connection", "close");
            Responses.error(exchange, 413, "body larger than " + MAX_BODY + " bytes");
            return;
        }
        String given = null;
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals("token")) {
                given = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)
                        .trim();
            }
        }
        if (given == null || !token.matches(given)) {
            PageAuth.signIn(exchange, 401, true);
            return;
        }
        exchange.getResponseHeaders().set("Set-Cookie", token.sessionCookie());
        exchange.getResponseHeaders().set("Location", "."); // the page, also behind a proxy's path prefix
        exchange.sendResponseHeaders(303, -1);
    }
}
