package dev.lockstep.server;

import com.sun.net.httpserver.HttpExchange;
import dev.lockstep.reconcile.AppStatus;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code GET /status} (all apps, a JSON array) and {@code GET /status/{app}} (one, 404 if unknown). */
final class StatusHandler implements Route {
    private final Supplier<List<AppStatus>> statuses;

    StatusHandler(Supplier<List<AppStatus>> statuses) {
        this.statuses = statuses;
    }

    @Override
    public void handle(HttpExchange exchange, String rest) throws IOException {
        if (Responses.refuseOtherThan(exchange, "GET")) {
            return;
        }
        if (rest.isEmpty()) {
            Responses.json(
                    exchange, 200, statuses.get().stream().map(StatusJson::of).toList());
            return;
        }
        String app = rest.substring(1);
        Optional<AppStatus> one = app.isEmpty() || app.contains("/")
                ? Optional.empty()
                : statuses.get().stream().filter(s -> s.app().equals(app)).findFirst();
        if (one.isPresent()) {
            Responses.json(exchange, 200, StatusJson.of(one.get()));
        } else {
            Responses.error(exchange, 404, "unknown app");
        }
    }
}
