package dev.lockstep.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** {@code GET /metrics}: the Prometheus text exposition format. */
final class MetricsHandler implements Route {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final Supplier<String> scrape;

    MetricsHandler(Supplier<String> scrape) {
        this.scrape = scrape;
    }

    @Override
    public void handle(Exchange exchange, String rest) throws IOException {
        if (!rest.isEmpty()) {
            Responses.notFound(exchange);
        } else if (!Responses.refuseOtherThan(exchange, "GET")) {
            Responses.send(exchange, 200, CONTENT_TYPE, scrape.get().getBytes(StandardCharsets.UTF_8));
        }
    }
}
