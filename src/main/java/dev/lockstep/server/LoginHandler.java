package dev.lockstep.server;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code POST /login} with the form field {@code token}: when it matches, a session cookie ({@link
 * UiToken#sessionCookie()}) and 303 back to the page; otherwise 401 and the form again. Only there when a token is
 * configured. It changes nothing but the browser's cookie. A body over 4 KiB is 413, one that is not URL-encoded form
 * data (a malformed {@code %} escape) 400.
 */
final class LoginHandler implements Route {
    private static final int MAX_BODY = 4096;
    private final UiToken token;

    LoginHandler(UiToken token) {
        this.token = token;
    }

    @Override
    public void handle(Exchange exchange, String rest) throws IOException {
        if (!rest.isEmpty()) {
            Responses.notFound(exchange);
            return;
        }
        if (Responses.refuseOtherThan(exchange, "POST")) {
            return;
        }
        Optional<byte[]> body = exchange.body(MAX_BODY);
        if (body.isEmpty()) {
            exchange.setHeader("Connection", "close");
            Responses.error(exchange, 413, "body larger than " + MAX_BODY + " bytes");
            return;
        }
        Optional<String> given;
        try {
            given = tokenField(new String(body.get(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            Responses.error(exchange, 400, "the form is not valid URL-encoded data");
            return;
        }
        if (given.isEmpty() || !token.matches(given.get())) {
            PageAuth.signIn(exchange, 401, true);
            return;
        }
        exchange.setHeader("Set-Cookie", token.sessionCookie());
        exchange.setHeader("Location", "."); // the page, also behind a proxy's path prefix
        exchange.respond(303, new byte[0]);
    }

    /** The {@code token} field of a form body; a malformed {@code %} escape throws IllegalArgumentException. */
    private static Optional<String> tokenField(String form) {
        Optional<String> given = Optional.empty();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals("token")) {
                given = Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)
                        .trim());
            }
        }
        return given;
    }
}
