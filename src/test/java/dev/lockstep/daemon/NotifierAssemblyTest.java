package dev.lockstep.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.metrics.NotificationMeters;
import dev.lockstep.model.NotificationEvent;
import dev.lockstep.notify.Notice;
import dev.lockstep.notify.Notifier;
import dev.lockstep.testing.HttpReceiver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's notifier from a config file: urls and tokens read from their files, sends counted in /metrics. */
class NotifierAssemblyTest {
    @TempDir
    Path dir;

    private LockstepConfig config(String notifications) throws Exception {
        Path file = dir.resolve("lockstep.yaml");
        Files.writeString(file, notifications + """
                apps:
                  - name: shop
                    repo: {url: "https://github.com/acme/deploy.git"}
                    namespace: shop
                """);
        return new ConfigLoader().load(file);
    }

    private static Notice notice() {
        return new Notice(
                "shop",
                NotificationEvent.APPLIED,
                "main",
                "3f2a9c1d4e5b6a7980123456789abcdef0123456",
                "v1",
                Optional.empty(),
                0,
                "applied",
                Instant.parse("2026-12-06T18:00:00Z"));
    }

    @Test
    void urlsAndTokensComeFromTheirFilesAndEachSendIsCounted() throws Exception {
        try (HttpReceiver receiver = new HttpReceiver()) {
            Files.writeString(dir.resolve("hook-url"), receiver.url("/hook") + "\n");
            Files.writeString(dir.resolve("hook-secret"), "s3cret\n");
            Files.writeString(dir.resolve("token"), "ghp_file_token\n");
            LockstepConfig config = config("""
                    notifications:
                      - {name: receiver, type: webhook, urlFile: hook-url, secretFile: hook-secret}
                      - {name: status, type: github, tokenFile: token, baseUrl: "%s"}
                    """.formatted(receiver.url("/api")));
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

            try (Notifier notifier = NotifierAssembly.of(config.notifications(), new NotificationMeters(registry))) {
                notifier.send(notice());
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> receiver.received().size() == 2);
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> registry.scrape().contains("destination=\"status\""));
            }

            assertThat(receiver.received())
                    .extracting(HttpReceiver.Received::path)
                    .containsExactlyInAnyOrder(
                            "/hook", "/api/repos/acme/deploy/statuses/3f2a9c1d4e5b6a7980123456789abcdef0123456");
            assertThat(receiver.received())
                    .filteredOn(r -> r.path().startsWith("/api"))
                    .singleElement()
                    .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer ghp_file_token"));
            assertThat(registry.scrape())
                    .contains(
                            "lockstep_notifications_total{destination=\"receiver\",event=\"applied\",result=\"sent\"} 1.0");
        }
    }

    @Test
    void aUrlFileThatHoldsNoUrlNamesTheFieldNotTheContent() throws Exception {
        Files.writeString(dir.resolve("hook-url"), "not a url with SECRET\n");
        LockstepConfig config = config("""
                notifications:
                  - {name: receiver, type: webhook, urlFile: hook-url}
                """);

        assertThatThrownBy(() -> NotifierAssembly.of(config.notifications(), (d, e, r) -> {}))
                .hasMessageContaining("notifications receiver: urlFile")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET"));
    }

    @Test
    void noDestinationsNoSender() throws Exception {
        assertThat(NotifierAssembly.of(config("").notifications(), (d, e, r) -> {})
                        .isEmpty())
                .isTrue();
    }
}
