package dev.lockstep.reconcile.pass;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppStatusTest {
    private static final RolloutStatus OK =
            new RolloutStatus(RolloutState.HEALTHY, "deployment \"a\" successfully rolled out", 1);
    private static final RolloutStatus WAITING =
            new RolloutStatus(RolloutState.PROGRESSING, "Waiting for deployment \"b\"", 2);
    private static final RolloutStatus FAILED =
            new RolloutStatus(RolloutState.FAILED, "deployment \"c\" exceeded its progress deadline", 3);

    @Test
    void healthIsTheWorstRollout() {
        assertThat(statusOf("x", Optional.empty(), "", List.of(), Map.of("n/a", OK), "c1", "s", Instant.EPOCH)
                        .health())
                .isEqualTo(AppHealth.HEALTHY);
        AppStatus progressing = statusOf(
                "x", Optional.empty(), "", List.of(), Map.of("n/a", OK, "n/b", WAITING), "c1", "s", Instant.EPOCH);
        assertThat(progressing.health()).isEqualTo(AppHealth.PROGRESSING);
        assertThat(progressing.message()).isEqualTo("Waiting for deployment \"b\"");
        assertThat(statusOf(
                                "x",
                                Optional.empty(),
                                "",
                                List.of(),
                                Map.of("n/b", WAITING, "n/c", FAILED),
                                "c1",
                                "s",
                                Instant.EPOCH)
                        .health())
                .isEqualTo(AppHealth.FAILED);
    }

    @Test
    void aProblemWinsOverRollouts() {
        AppStatus stalled = statusOf(
                "x",
                Optional.of(AppHealth.STALLED),
                "commit abc not applied",
                List.of("a.yaml:3: bad"),
                Map.of("n/a", OK),
                "c1",
                "s",
                Instant.EPOCH);
        assertThat(stalled.health()).isEqualTo(AppHealth.STALLED);
        assertThat(stalled.message()).isEqualTo("commit abc not applied");
        assertThat(stalled.errors()).containsExactly("a.yaml:3: bad");
    }

    /** An app with Deployments only: what most of these checks need. */
    private static AppStatus statusOf(
            String app,
            Optional<AppHealth> problem,
            String problemMessage,
            List<String> errors,
            Map<String, RolloutStatus> deployments,
            String commit,
            String subject,
            Instant now) {
        return AppStatus.of(app, problem, problemMessage, errors, deployments, Map.of(), commit, subject, now);
    }
}
