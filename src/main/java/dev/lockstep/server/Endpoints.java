package dev.lockstep.server;

import dev.lockstep.reconcile.pass.AppStatus;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the {@link StatusServer} serves.
 *
 * @param metrics         Prometheus text, e.g. {@code prometheusRegistry::scrape}
 * @param statuses        every app's status, e.g. {@code loop::statuses}
 * @param webhookSecret   empty disables {@code /webhook} (it answers 404 and triggers nothing)
 * @param maxWebhookBytes larger webhook bodies are refused with 413 without being read
 * @param page            the status page and its feeds; empty leaves {@code /} and the page's routes out (404)
 * @param liveness        what {@code /healthz} reports: 503 with the reason when the process can only be fixed by a
 *                        restart (the daemon: its leader election has stopped)
 * @param owners          sharded: which replica works on an app ({@code "owner"} in {@code /status}); not sharded:
 *                        always empty, and the field is left out
 */
public record Endpoints(
        Supplier<String> metrics,
        Readiness readiness,
        Supplier<List<AppStatus>> statuses,
        WebhookTrigger trigger,
        Optional<WebhookSecret> webhookSecret,
        int maxWebhookBytes,
        Optional<StatusPage> page,
        Readiness liveness,
        Function<String, Optional<String>> owners) {
    public static final int DEFAULT_MAX_WEBHOOK_BYTES = 1 << 20;
    private static final Readiness ALWAYS_LIVE = Readiness.of(() -> true, "");
    private static final Function<String, Optional<String>> NOT_SHARDED = app -> Optional.empty();

    public Endpoints {
        if (maxWebhookBytes <= 0) {
            throw new IllegalArgumentException("maxWebhookBytes must be positive");
        }
    }

    public Endpoints(
            Supplier<String> metrics,
            Readiness readiness,
            Supplier<List<AppStatus>> statuses,
            WebhookTrigger trigger,
            Optional<WebhookSecret> webhookSecret,
            int maxWebhookBytes) {
        this(
                metrics,
                readiness,
                statuses,
                trigger,
                webhookSecret,
                maxWebhookBytes,
                Optional.empty(),
                ALWAYS_LIVE,
                NOT_SHARDED);
    }

    public Endpoints(
            Supplier<String> metrics,
            Readiness readiness,
            Supplier<List<AppStatus>> statuses,
            WebhookTrigger trigger,
            Optional<WebhookSecret> webhookSecret) {
        this(metrics, readiness, statuses, trigger, webhookSecret, DEFAULT_MAX_WEBHOOK_BYTES);
    }

    /** The same endpoints, plus the status page. */
    public Endpoints withPage(StatusPage statusPage) {
        return new Endpoints(
                metrics,
                readiness,
                statuses,
                trigger,
                webhookSecret,
                maxWebhookBytes,
                Optional.of(statusPage),
                liveness,
                owners);
    }

    /** The same endpoints, with {@code /healthz} answering from {@code live}. */
    public Endpoints withLiveness(Readiness live) {
        return new Endpoints(metrics, readiness, statuses, trigger, webhookSecret, maxWebhookBytes, page, live, owners);
    }

    /** The same endpoints, with each app's owner (sharded) in {@code /status}. */
    public Endpoints withOwners(Function<String, Optional<String>> appOwners) {
        return new Endpoints(
                metrics, readiness, statuses, trigger, webhookSecret, maxWebhookBytes, page, liveness, appOwners);
    }
}
