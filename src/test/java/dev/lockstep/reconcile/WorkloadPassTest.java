package dev.lockstep.reconcile;

import static dev.lockstep.reconcile.PassFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.TemplateChange;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.TrackedRollout;
import dev.lockstep.testing.Workloads;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A StatefulSet in a pass: followed like a Deployment, superseded by a new commit, part of the app's health. */
class WorkloadPassTest {
    private static final ResourceKey DB = ResourceKey.of("apps/v1", "StatefulSet", NS, "db");

    @TempDir
    Path tmp;

    private PassFixture f;

    @BeforeEach
    void setUp() {
        f = new PassFixture(tmp);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private String commitDb(String image, String message) {
        f.repo.write("app/db.yaml", Workloads.statefulSet("db", image));
        return f.repo.commit(message);
    }

    @Test
    void aNewCommitSupersedesAStatefulSetRolloutStillFollowed() {
        commitDb("db:v1", "db v1");
        f.reconciler().reconcile();
        String v2 = commitDb("db:v2", "db v2");
        Revision v1 = new Revision("1".repeat(40), "db v1", "db v1", "Ada", "ada@example.com", Instant.EPOCH);
        TrackedRollout following = new TrackedRollout(
                DB, v1, new TemplateChange(Optional.empty()), Instant.EPOCH, Optional.empty(), Optional.empty());
        Pass pass = Pass.start(Pass.Mode.RECONCILE, AppState.initial().withRollouts(Map.of(DB, following)));
        for (Step step : f.steps.all()) {
            if (step instanceof RecordState) {
                break;
            }
            pass = step.run(pass).pass();
        }

        assertThat(pass.superseded()).singleElement().satisfies(e -> {
            assertThat(e.deployment()).isEqualTo(NS + "/db");
            assertThat(e.result()).isEqualTo("superseded by " + v2.substring(0, 7));
        });
        assertThat(pass.state().rollouts().get(DB).commit().commit()).isEqualTo(v2);
    }

    @Test
    void aStatefulSetTheControllerHasNotObservedKeepsTheAppProgressing() {
        commitDb("db:v1", "db v1");
        AppReconciler app = f.reconciler();

        app.reconcile();

        // No StatefulSet controller runs against the fake: the status never shows the spec observed.
        var db = app.status().workloads().get("StatefulSet/" + NS + "/db");
        assertThat(db.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(db.message()).isEqualTo("Waiting for statefulset spec update to be observed...");
        assertThat(app.status().health()).isEqualTo(AppHealth.PROGRESSING);
        assertThat(app.status().message()).contains("Waiting for statefulset spec update to be observed...");
    }
}
