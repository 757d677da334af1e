package dev.lockstep.server;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /webhook} (every app) and {@code POST /webhook/{app}} (one): asks for an immediate pass.
 *
 * <p>Authentication, one of:
 * <ul>
 *   <li>{@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>} (GitHub; Gitea
 *       and Forgejo send the same header). When present it is the header that decides.</li>
 *   <li>{@code Authorization: Bearer <secret>}, {@code X-Lockstep-Token: <secret>} (curl, CI jobs, other forges) or
 *       {@code X-Gitlab-Token: <secret>} (GitLab's secret token).</li>
 * </ul>
 * Order, so an unauthenticated caller costs little and learns nothing:
 * <ol>
 *   <li>no secret configured → 404; not POST → 405;</li>
 *   <li>no credential header at all, or a token that does not match (compared in constant time) → 401
 *       <em>before the body is read</em> (the body is discarded after the answer, so a kept-alive connection stays
 *       usable; see {@link Exchange});</li>
 *   <li>a body declared ({@code Content-Length}) or found to be over the cap → 413, without reading further; a body
 *       that has not all arrived within the server's body timeout → 408 ({@link StatusServer.Limits});</li>
 *   <li>with a signature header, the HMAC can only be computed over the whole body: the body is read (at most the
 *       cap), then the HMAC is compared in constant time; wrong → 401;</li>
 *   <li>only then is the body parsed, and only for a forge's push event ({@link PushEvent}): a push to the branch an
 *       app follows triggers that app, a push to any other ref or any other event is acknowledged (202) and triggers
 *       nothing, an unreadable push payload is 400; a call without a forge event header triggers as asked;</li>
 *   <li>202 {@code {"triggered":["hello"]}} (404 for an unknown app), with {@code "ignored"} saying why when nothing
 *       was triggered.</li>
 * </ol>
 */
final class WebhookHandler implements Route {
    static final String SIGNATURE = "X-Hub-Signature-256";
    static final String TOKEN = "X-Lockstep-Token";
    static final String GITLAB_TOKEN = "X-Gitlab-Token";
    private static final String BEARER = "Bearer ";

    private final Optional<WebhookSecret> secret;
    private final WebhookTrigger trigger;
    private final int maxBytes;

    WebhookHandler(Optional<WebhookSecret> secret, WebhookTrigger trigger, int maxBytes) {
        this.secret = secret;
        this.trigger = trigger;
        this.maxBytes = maxBytes;
    }

    @Override
    public void handle(Exchange exchange, String rest) throws IOException {
        if (secret.isEmpty()) {
            Responses.notFound(exchange); // disabled: an open trigger would let anyone drive the loop
            return;
        }
        if (Responses.refuseOtherThan(exchange, "POST")) {
            return;
        }
        String app = rest.isEmpty() ? null : rest.substring(1);
        if (app != null && (app.isEmpty() || app.contains("/"))) {
            Responses.notFound(exchange);
            return;
        }
        String signature = exchange.header(SIGNATURE);
        String token = token(exchange);
        if (signature == null && (token == null || !secret.get().matchesToken(token))) {
            Responses.error(exchange, 401, "missing or wrong credentials");
            return;
        }
        Optional<byte[]> body = exchange.body(maxBytes);
        if (body.isEmpty()) {
            exchange.setHeader("Connection", "close");
            Responses.error(exchange, 413, "body larger than " + maxBytes + " bytes");
            return;
        }
        if (signature != null && !secret.get().matchesSignature(signature, body.get())) {
            Responses.error(exchange, 401, "missing or wrong credentials");
            return;
        }
        if (app != null && trigger.branchOf(app).isEmpty()) {
            Responses.error(exchange, 404, "unknown app");
            return;
        }
        PushEvent event = PushEvent.of(exchange::header, body.get());
        if (event instanceof PushEvent.Malformed m) {
            Responses.error(exchange, 400, m.why());
            return;
        }
        if (event instanceof PushEvent.Other other) {
            acknowledge(exchange, List.of(), "event '" + other.event() + "' is not a push");
            return;
        }
        if (event instanceof PushEvent.Push push) {
            List<String> targets = (app == null ? trigger.apps() : List.of(app))
                    .stream()
                            .filter(a -> trigger.branchOf(a)
                                    .map(b -> push.ref().equals("refs/heads/" + b))
                                    .orElse(false))
                            .filter(trigger::trigger)
                            .toList();
            acknowledge(exchange, targets, "a push to " + push.ref() + " is not to a followed branch");
            return;
        }
        List<String> triggered;
        if (app == null) {
            triggered = trigger.triggerAll();
        } else if (trigger.trigger(app)) {
            triggered = List.of(app);
        } else {
            Responses.error(exchange, 404, "unknown app");
            return;
        }
        Responses.json(exchange, 202, Map.of("triggered", triggered));
    }

    private static void acknowledge(Exchange exchange, List<String> triggered, String whyNothing) throws IOException {
        Responses.json(
                exchange,
                202,
                triggered.isEmpty()
                        ? Map.of("triggered", triggered, "ignored", whyNothing)
                        : Map.of("triggered", triggered));
    }

    private static String token(Exchange exchange) {
        String auth = exchange.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return auth.substring(BEARER.length()).trim();
        }
        String lockstep = exchange.header(TOKEN);
        return lockstep != null ? lockstep : exchange.header(GITLAB_TOKEN);
    }
}
