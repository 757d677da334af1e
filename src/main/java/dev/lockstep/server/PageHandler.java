package dev.lockstep.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The page's static files, shipped in the jar under {@code dev/lockstep/server/page/}: {@code GET /} is
 * {@code index.html}, {@code GET /assets/app.js} and {@code /assets/app.css} its script and style. Nothing is loaded
 * from anywhere else: the Content-Security-Policy allows this origin only, so an air-gapped cluster sees the whole page.
 */
final class PageHandler implements Route {
    static final String HTML = "text/html; charset=utf-8";
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private static final Map<String, String> ASSETS = Map.of(
            "/app.js", "text/javascript; charset=utf-8",
            "/app.css", "text/css; charset=utf-8");

    private final boolean root;

    private PageHandler(boolean root) {
        this.root = root;
    }

    /** {@code GET /}: the page. */
    static PageHandler page() {
        return new PageHandler(true);
    }

    /** {@code GET /assets/...}: its script and style (not behind the token: they are the same for everyone). */
    static PageHandler assets() {
        return new PageHandler(false);
    }

    @Override
    public void handle(Exchange exchange, String rest) throws IOException {
        if (root ? !rest.isEmpty() : !ASSETS.containsKey(rest)) {
            Responses.notFound(exchange);
            return;
        }
        if (Responses.refuseOtherThan(exchange, "GET")) {
            return;
        }
        if (root) {
            send(exchange, 200, HTML, resource("index.html"));
        } else {
            send(exchange, 200, ASSETS.get(rest), resource(rest.substring(1)));
        }
    }

    /** Sends a page resource with the headers every page response has. */
    static void send(Exchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.setHeader("Content-Security-Policy", CSP);
        exchange.setHeader("X-Content-Type-Options", "nosniff");
        exchange.setHeader("Referrer-Policy", "no-referrer");
        exchange.setHeader("X-Frame-Options", "DENY");
        Responses.send(exchange, status, contentType, body);
    }

    static byte[] resource(String name) {
        try (InputStream in = PageHandler.class.getResourceAsStream("page/" + name)) {
            if (in == null) {
                throw new IllegalStateException("page/" + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(resource(name), StandardCharsets.UTF_8);
    }
}
