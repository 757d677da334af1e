package dev.lockstep.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.pass.PassOutcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsListenerTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MetricsListener listener = new MetricsListener(registry);

    static Revision commit(String sha, String subject) {
        return new Revision(
                sha, subject, subject + "\n", "Dev", "dev@example.com", Instant.parse("2025-01-01T00:00:00Z"));
    }

    private List<String> infoLines() {
        return registry.scrape()
                .lines()
                .filter(l -> l.startsWith("lockstep_app_info{"))
                .toList();
    }

    @Test
    void infoGaugeKeepsOnlyTheNewestCommitPerApp() {
        listener.commitApplied("hello", commit("1111111111111111111111111111111111111111", "image v1"));
        listener.commitApplied("other", commit("3333333333333333333333333333333333333333", "first"));
        listener.commitApplied("hello", commit("2222222222222222222222222222222222222222", "image v2"));

        assertThat(infoLines())
                .containsExactlyInAnyOrder(
                        "lockstep_app_info{app=\"hello\",commit=\"2222222222222222222222222222222222222222\",subject=\"image v2\"} 1",
                        "lockstep_app_info{app=\"other\",commit=\"3333333333333333333333333333333333333333\",subject=\"first\"} 1");
    }

    @Test
    void longSubjectsAreCutSoTheLabelStaysSmall() {
        listener.commitApplied("hello", commit("1111111111111111111111111111111111111111", "x".repeat(500)));

        assertThat(infoLines())
                .singleElement()
                .satisfies(l -> assertThat(l).contains("subject=\"" + "x".repeat(99) + "…\""));
    }

    @Test
    void countsAccumulatePerTagSet() {
        ResourceKey svc = ResourceKey.of("v1", "Service", "shop", "hello-svc");
        listener.applied("hello", svc, "v1", commit("1111111111111111111111111111111111111111", "a"), true);
        listener.applied("hello", svc, "v1", commit("2222222222222222222222222222222222222222", "b"), false);
        listener.applied("hello", svc, "v1", commit("3333333333333333333333333333333333333333", "c"), false);
        listener.passFinished("hello", PassOutcome.UNCHANGED, Duration.ofMillis(250));
        listener.passFinished("hello", PassOutcome.UNCHANGED, Duration.ofMillis(250));

        assertThat(registry.scrape())
                .contains(
                        "lockstep_objects_applied_total{action=\"created\",app=\"hello\",kind=\"Service\"} 1.0\n",
                        "lockstep_objects_applied_total{action=\"updated\",app=\"hello\",kind=\"Service\"} 2.0\n",
                        "lockstep_reconcile_seconds_count{app=\"hello\",result=\"unchanged\"} 2\n",
                        "lockstep_reconcile_seconds_sum{app=\"hello\",result=\"unchanged\"} 0.5\n");
    }

    @Test
    void renderTimeIsAHistogramPerAppAndEngine() {
        listener.rendered("shop", "kustomize v5.5.0", Duration.ofMillis(400));
        listener.rendered("shop", "kustomize v5.5.0", Duration.ofMillis(200));

        assertThat(registry.scrape())
                .contains(
                        "lockstep_render_seconds_count{app=\"shop\",engine=\"kustomize\"} 2\n",
                        "lockstep_render_seconds_sum{app=\"shop\",engine=\"kustomize\"} 0.6\n",
                        "lockstep_render_seconds_bucket{app=\"shop\",engine=\"kustomize\",le=\"0.447392426\"} 2\n");
    }
}
