package dev.lockstep.reconcile.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.pass.AppState;
import dev.lockstep.reconcile.pass.Fact;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.pass.PassResult;
import dev.lockstep.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the pass's own log line says about rendering, and what the listeners hear. */
class PassReportTest {
    private static final Revision COMMIT = new Revision(
            "1234567890123456789012345678901234567890", "web v2", "web v2\n", "Ada", "ada@example.com", Instant.EPOCH);

    private final List<String> rendered = new ArrayList<>();
    private final ReconcileListener listener = new ReconcileListener() {
        @Override
        public void rendered(String app, String engine, Duration took) {
            rendered.add(app + " " + engine + " " + took.toMillis());
        }
    };

    @Test
    void theCommitsLogLineSaysWhichEngineRenderedItAndHowLong() {
        try (LogCapture log = new LogCapture(PassReport.class)) {
            publish(new Fact.Rendered(COMMIT, "kustomize v5.5.0", Duration.ofMillis(412), false));

            assertThat(log.lines())
                    .contains("INFO app shop: commit 1234567 \"web v2\": 3 written, 1 unchanged, 0 pruned (rendered by"
                            + " kustomize v5.5.0 in 412 ms)");
        }
        assertThat(rendered).containsExactly("shop kustomize v5.5.0 412");
    }

    @Test
    void aReusedRenderIsSaidAndNotTimed() {
        try (LogCapture log = new LogCapture(PassReport.class)) {
            publish(new Fact.Rendered(COMMIT, "kustomize v5.5.0", Duration.ZERO, true));

            assertThat(log.lines())
                    .anyMatch(l -> l.endsWith("(rendered by kustomize v5.5.0, inputs unchanged: last render reused)"));
        }
        assertThat(rendered).isEmpty();
    }

    private void publish(Fact.Rendered render) {
        new PassReport("shop", true, listener)
                .publish(
                        new PassResult(
                                AppState.initial(),
                                PassOutcome.APPLIED,
                                List.of(render, new Fact.CommitApplied(COMMIT, 3, 1, 0)),
                                Optional.of(COMMIT),
                                List.of(),
                                Optional.empty(),
                                Optional.empty()),
                        PassOutcome.APPLIED,
                        Duration.ofMillis(500));
    }
}
