package dev.lockstep.reconcile.pass;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.reconcile.engine.PassFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restarted process's first step: the record, and the watch caches of the kinds it names started at once. */
class LoadRecordTest {
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

    @Test
    void theKindsTheRecordNamesAreListedBeforeGitIsAsked() {
        f.commitApp("hello:v1", "v1");
        f.reconciler().reconcile();
        Step loadRecord = f.steps.all().get(0);
        int before = f.cluster.watched().size();

        StepResult result = loadRecord.run(Pass.start(Pass.Mode.RECONCILE, AppState.initial()));

        assertThat(loadRecord).isInstanceOf(LoadRecord.class);
        assertThat(result.pass().state().record().inventory()).hasSize(3);
        // the fixture's pool runs each task at once, so the early lists have started when the step returns
        assertThat(f.cluster.watched().subList(before, f.cluster.watched().size()))
                .containsExactlyInAnyOrder("apps/v1/Deployment", "v1/Service", "v1/ConfigMap");
    }
}
