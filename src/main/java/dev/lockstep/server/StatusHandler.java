package dev.lockstep.server;

import dev.lockstep.reconcile.pass.AppStatus;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@code GET /status} (all apps, a JSON array) and {@code GET /status/{app}} (one, 404 if unknown). */
final class StatusHandler implements Route {
    private final Supplier<List<AppStatus>> statuses;
    private final Function<String, Optional<String>> owners;

    StatusHandler(Supplier<List<AppStatus>> statuses, Function<String, Optional<String>> owners) {
        this.statuses = statuses;
        this.owners = owners;
    }

    /** The app's JSON, with {@code "owner"} when sharded. */
    private Map<String, Object> json(AppStatus status) {
        Map<String, Object> json = StatusJson.of(status);
        owners.apply(status.app()).ifPresent(owner -> json.put("owner", owner));
        return json;
    }

    @Override
    public void handle(Exchange exchange, String rest) throws IOException {
        if (Responses.refuseOtherThan(exchange, "GET")) {
            return;
        }
        if (rest.isEmpty()) {
            Responses.json(
                    exchange, 200, statuses.get().stream().map(this::json).toList());
            return;
        }
        String app = rest.substring(1);
        Optional<AppStatus> one = app.isEmpty() || app.contains("/")
                ? Optional.empty()
                : statuses.get().stream().filter(s -> s.app().equals(app)).findFirst();
        if (one.isPresent()) {
            Responses.json(exchange, 200, json(one.get()));
        } else {
            Responses.error(exchange, 404, "unknown app");
        }
    }
}
