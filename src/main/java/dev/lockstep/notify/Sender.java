package dev.lockstep.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends one request with a timeout, and tries again with a doubling backoff after a 5xx, a 429 (waiting what its
 * {@code Retry-After} asks, within the backoff's cap) or a connection error, up to a number of attempts. Any other
 * 4xx is final: sending the same again would fail the same way.
 */
public final class Sender {
    /**
     * @param attempts     tries in all, the first included
     * @param timeout      for one request, from connecting to the answer
     * @param firstBackoff the wait before the second try; it doubles up to {@code maxBackoff}
     */
    public record Policy(int attempts, Duration timeout, Duration firstBackoff, Duration maxBackoff) {
        public static Policy standard() {
            return new Policy(5, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(60));
        }
    }

    /** Waits between tries (tests wait for nothing). */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper REAL = d -> Thread.sleep(d.toMillis());

        void sleep(Duration d) throws InterruptedException;
    }

    /**
     * @param failure why it was not delivered, without the url; empty when delivered
     */
    public record Result(int attempts, Optional<String> failure) {
        public boolean delivered() {
            return failure.isEmpty();
        }
    }

    private final HttpClient client;
    private final Policy policy;
    private final Sleeper sleeper;

    public Sender(Policy policy, Sleeper sleeper) {
        this(
                HttpClient.newBuilder()
                        .connectTimeout(policy.timeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build(),
                policy,
                sleeper);
    }

    Sender(HttpClient client, Policy policy, Sleeper sleeper) {
        this.client = client;
        this.policy = policy;
        this.sleeper = sleeper;
    }

    public Result send(Outgoing out) throws InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(out.uri())
                .timeout(policy.timeout())
                .POST(HttpRequest.BodyPublishers.ofString(out.body()));
        out.headers().forEach(b::header);
        HttpRequest request = b.build();
        Duration backoff = policy.firstBackoff();
        String failure = "";
        for (int attempt = 1; attempt <= policy.attempts(); attempt++) {
            Duration wait = backoff;
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                int code = response.statusCode();
                if (code >= 200 && code < 300) {
                    return new Result(attempt, Optional.empty());
                }
                failure = "HTTP " + code;
                boolean retried = code >= 500 || code == 429;
                if (!retried) {
                    return new Result(attempt, Optional.of(failure));
                }
                if (code == 429) {
                    wait = retryAfter(response).orElse(backoff);
                }
            } catch (IOException e) {
                failure = describe(e, out.uri());
            }
            if (attempt < policy.attempts()) {
                sleeper.sleep(min(wait, policy.maxBackoff()));
                backoff = min(backoff.multipliedBy(2), policy.maxBackoff());
            }
        }
        return new Result(policy.attempts(), Optional.of(failure));
    }

    /** Seconds only: an HTTP date is rare in a 429 and falls back to the backoff. */
    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** The exception's kind and message, with the url and its path cut out (a Slack url's path is its secret). */
    static String describe(IOException e, URI uri) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        message = message.replace(uri.toString(), "<url>");
        if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
            message = message.replace(uri.getRawPath(), "<path>");
        }
        return e.getClass().getSimpleName() + (message.isBlank() ? "" : ": " + message);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
