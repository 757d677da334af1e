package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.history.DeploymentHistory;
import dev.lockstep.history.WorkloadHistory;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code lockstep history} prints for one workload: a heading line, then its table or why it has none. */
class HistoryTextTest {
    private static final String V1 = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    @Test
    void aStatefulSetsHeadingNamesItsAppRevisionAndStateAndItsTableItsControllerRevisions() {
        ResourceKey db = ResourceKey.of("apps/v1", "StatefulSet", "shop", "db");
        RolloutStatus now = new RolloutStatus(RolloutState.HEALTHY, "ok", 1);
        ReplicaSetInfo c1 = new ReplicaSetInfo(
                "db-c1",
                "c1",
                1,
                Map.of(
                        MetadataKeys.COMMIT, V1,
                        MetadataKeys.COMMIT_SUBJECT, "db v1",
                        MetadataKeys.COMMIT_AUTHOR, "Ada Lovelace <ada@example.com>",
                        MetadataKeys.APPLIED_AT, "2026-11-26T10:00:00Z"),
                Map.of(),
                Instant.EPOCH,
                0);
        List<HistoryEntry> recorded = List.of(new HistoryEntry(
                "StatefulSet", "shop/db", 1, "db-c1", V1, "db v1", "Ada", Instant.EPOCH, "rolled out"));

        String text = HistoryText.of(
                "shop",
                new WorkloadHistory.Timeline(db, now, DeploymentHistory.revisions(db, List.of(c1), now, recorded)));

        assertThat(text).isEqualTo("""
                statefulset shop/db (app shop, at revision 1: Healthy)
                REVISION   CONTROLLERREVISION   COMMIT    SUBJECT   AUTHOR         APPLIED AT             RESULT
                1          db-c1                1111111   db v1     Ada Lovelace   2026-11-26T10:00:00Z   rolled out
                """);
    }

    @Test
    void aJobShowsItsStateAndWhyItHasNoRevisions() {
        ResourceKey migrate = ResourceKey.of("batch/v1", "Job", "shop", "migrate");

        String text = HistoryText.of(
                "shop",
                new WorkloadHistory.NoRevisions(
                        migrate, new RolloutStatus(RolloutState.FAILED, "job \"migrate\" failed", 0)));

        assertThat(text).isEqualTo("""
                job shop/migrate (app shop: Failed, job "migrate" failed)
                no revision history: a Job's pod template cannot change; a new Job is a new object
                """);
    }
}
