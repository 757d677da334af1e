package dev.lockstep.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Optional;

/** {@code GET /readyz}: 200 once caches are synced and config loaded, else 503 with the reason. */
final class ReadyHandler implements Route {
    private final Readiness readiness;

    ReadyHandler(Readiness readiness) {
        this.readiness = readiness;
    }

    @Override
    public void handle(HttpExchange exchange, String rest) throws IOException {
        if (!rest.isEmpty()) {
            Responses.notFound(exchange);
        } else if (!Responses.refuseOtherThan(exchange, "GET")) {
            Optional<String> reason = readiness.notReadyReason();
            if (reason.isEmpty()) {
                Responses.text(exchange, 200, "ok");
            } else {
                Responses.text(exchange, 503, "not ready: " + reason.get());
            }
        }
    }
}
