package dev.lockstep.server;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /healthz}: liveness. 200 {@code ok} unless the process is stuck in a way only a restart fixes (the daemon:
 * its leader election stopped), then 503 {@code unhealthy: <reason>}, so Kubernetes restarts it.
 */
final class HealthHandler implements Route {
    private final Readiness liveness;

    HealthHandler(Readiness liveness) {
        this.liveness = liveness;
    }

    @Override
    public void handle(Exchange exchange, String rest) throws IOException {
        if (!rest.isEmpty()) {
            Responses.notFound(exchange);
        } else if (!Responses.refuseOtherThan(exchange, "GET")) {
            Optional<String> reason = liveness.notReadyReason();
            if (reason.isEmpty()) {
                Responses.text(exchange, 200, "ok");
            } else {
                Responses.text(exchange, 503, "unhealthy: " + reason.get());
            }
        }
    }
}
