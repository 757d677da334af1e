package dev.lockstep.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.NotificationEvent;
import dev.lockstep.testing.HttpReceiver;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries: which answers are tried again, how long it waits, and that a delivery happens once. */
class SenderTest {
    private final HttpReceiver receiver = new HttpReceiver();
    private final List<Duration> waits = new ArrayList<>();
    private final Sender sender = new Sender(
            new Sender.Policy(5, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30)), waits::add);

    @AfterEach
    void close() {
        receiver.close();
    }

    private Outgoing hook() {
        return new Webhook(receiver.url("/hook"), Optional.empty())
                .request(Notices.of(NotificationEvent.APPLIED))
                .orElseThrow();
    }

    @Test
    void threeServerErrorsThenSuccessDeliversOnceWithDoublingBackoff() throws Exception {
        receiver.answer(500, 3);

        Sender.Result result = sender.send(hook());

        assertThat(result.delivered()).isTrue();
        assertThat(result.attempts()).isEqualTo(4);
        assertThat(receiver.received()).hasSize(4); // three refused, one accepted: delivered once
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void aClientErrorIsNotRetried() throws Exception {
        receiver.finallyAnswer(404);

        Sender.Result result = sender.send(hook());

        assertThat(result.delivered()).isFalse();
        assertThat(result.failure()).contains("HTTP 404");
        assertThat(receiver.received()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void tooManyRequestsWaitsWhatRetryAfterAsks() throws Exception {
        receiver.answer(429, 1).withHeader("Retry-After", "7");

        Sender.Result result = sender.send(hook());

        assertThat(result.delivered()).isTrue();
        assertThat(waits).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void serverErrorsUpToTheLimitFailWithoutTheUrl() throws Exception {
        receiver.finallyAnswer(503);

        Sender.Result result = sender.send(hook());

        assertThat(result.delivered()).isFalse();
        assertThat(receiver.received()).hasSize(5);
        assertThat(waits).hasSize(4);
    }

    @Test
    void aRefusedConnectionIsRetriedAndItsFailureNamesNoUrl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/services/SECRETPATH");
        Outgoing out = new Slack(url, Optional.empty())
                .request(Notices.of(NotificationEvent.APPLIED))
                .orElseThrow();

        Sender.Result result = sender.send(out);

        assertThat(result.delivered()).isFalse();
        assertThat(result.attempts()).isEqualTo(5);
        assertThat(result.failure().orElseThrow()).doesNotContain("SECRETPATH").doesNotContain(url.toString());
    }

    @Test
    void describeCutsTheUrlAndItsPathOutOfAMessage() {
        URI url = URI.create("https://hooks.slack.com/services/T0/B0/SECRET");
        String described = Sender.describe(new IOException("failed " + url + " and /services/T0/B0/SECRET"), url);
        assertThat(described).doesNotContain("SECRET").contains("IOException");
    }
}
