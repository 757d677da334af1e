package dev.lockstep.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Puts a page route behind the {@link UiToken}, when there is one. Without the token (or its session cookie) the page
 * itself answers 401 with a sign-in form, and the feeds 401 with {@code {"error": ...}}. The static assets stay open:
 * they hold no data. {@code /status} carries the same data as the feeds, so {@link StatusServer} guards it the same
 * way. {@code /healthz}, {@code /readyz}, {@code /metrics} (probes and Prometheus, no app data) and {@code /webhook}
 * (its own secret) keep their own rules.
 */
final class PageAuth {
    private PageAuth() {}

    static Route guard(Optional<UiToken> token, String prefix, Route route) {
        if (token.isEmpty() || prefix.equals("/assets")) {
            return route;
        }
        UiToken t = token.get();
        return (exchange, rest) -> {
            if (t.admits(exchange)) {
                route.handle(exchange, rest);
            } else if (prefix.equals("/") && rest.isEmpty()) {
                signIn(exchange, 401, false);
            } else {
                exchange.setHeader("WWW-Authenticate", "Bearer realm=\"lockstep\"");
                Responses.error(exchange, 401, "missing or wrong token");
            }
        };
    }

    /** The sign-in form; {@code wrong} adds a line saying the last token did not match (nothing of it is echoed). */
    static void signIn(Exchange exchange, int status, boolean wrong) throws IOException {
        String html = PageHandler.text("login.html")
                .replace(
                        "<!--message-->",
                        wrong ? "<p class=\"login-error\" role=\"alert\">That token is not the right one.</p>" : "");
        PageHandler.send(exchange, status, PageHandler.HTML, html.getBytes(StandardCharsets.UTF_8));
    }
}
