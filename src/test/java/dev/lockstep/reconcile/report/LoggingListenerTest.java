package dev.lockstep.reconcile.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.testing.LogCapture;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The daemon's log lines name what a workload's revision is: a ReplicaSet or a ControllerRevision. */
class LoggingListenerTest {
    private static final Revision REVERT = new Revision(
            "cde3456" + "0".repeat(33),
            "Revert \"image v3\"",
            "Revert \"image v3\"",
            "Ada",
            "ada@example.com",
            Instant.EPOCH);

    private static String rollbackLine(ResourceKey workload, boolean reused) {
        try (LogCapture log = new LogCapture("dev.lockstep.events")) {
            new LoggingListener().rolledBack("hello", workload, 2, 4, REVERT, reused);
            return log.lines().get(0);
        }
    }

    @Test
    void aRollbackSaysWhichKindOfRevisionWasReused() {
        ResourceKey deployment = ResourceKey.of("apps/v1", "Deployment", "shop", "web");
        ResourceKey statefulSet = ResourceKey.of("apps/v1", "StatefulSet", "shop", "db");
        ResourceKey daemonSet = ResourceKey.of("apps/v1", "DaemonSet", "shop", "agent");

        assertThat(rollbackLine(deployment, true)).endsWith("now revision 4, its ReplicaSet was reused");
        assertThat(rollbackLine(statefulSet, true)).endsWith("now revision 4, its ControllerRevision was reused");
        assertThat(rollbackLine(daemonSet, false))
                .endsWith("the controller made a new ControllerRevision instead of reusing it");
        assertThat(rollbackLine(statefulSet, true)).doesNotContain("ReplicaSet");
    }
}
