package dev.lockstep.server;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /readyz}: 200 {@code ok} when {@link Readiness} reports ready, else 503 {@code not ready: <reason>}.
 * What "ready" means is the supplier's business; the daemon wires it to "started": configuration loaded, HTTP
 * serving, loop scheduled. It does not wait for a first pass, a git fetch or any cluster cache.
 */
final class ReadyHandler implements Route {
    private final Readiness readiness;

    ReadyHandler(Readiness readiness) {
        this.readiness = readiness;
    }

    @Override
    public void handle(Exchange exchange, String rest) throws IOException {
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
