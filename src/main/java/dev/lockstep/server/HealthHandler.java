package dev.lockstep.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** {@code GET /healthz}: liveness. Answering at all is the signal, so it checks nothing else. */
final class HealthHandler implements Route {
    @Override
    public void handle(HttpExchange exchange, String rest) throws IOException {
        if (!rest.isEmpty()) {
            Responses.notFound(exchange);
        } else if (!Responses.refuseOtherThan(exchange, "GET")) {
            Responses.text(exchange, 200, "ok");
        }
    }
}
