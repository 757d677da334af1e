package dev.lockstep.history;

import static org.assertj.core.api.Assertions.assertThat;

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

class DeploymentHistoryTest {
    private static final String V1 = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String V2 = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static final String V3 = "3333333ccccccccccccccccccccccccccccccccc";
    private static final String REVERT = "4444444ddddddddddddddddddddddddddddddddd";

    private static final ResourceKey WEB = ResourceKey.of("apps/v1", "Deployment", "shop", "web");

    private static ReplicaSetInfo rs(String name, long revision, Map<String, String> annotations) {
        return new ReplicaSetInfo(name, name, revision, annotations, Map.of(), Instant.EPOCH, 0);
    }

    private static Map<String, String> commit(String sha, String subject) {
        return Map.of(
                "lockstep.dev/commit",
                sha,
                "lockstep.dev/commit-subject",
                subject,
                "lockstep.dev/commit-author",
                "Ada Lovelace <ada@example.com>",
                "lockstep.dev/applied-at",
                "2026-11-26T10:00:00Z");
    }

    @Test
    void oneRowPerReplicaSetWithEarlierRevisionsAndRecordedResults() {
        var revert = new java.util.HashMap<>(commit(REVERT, "Revert \"image v3\""));
        revert.put("deployment.kubernetes.io/revision-history", "2");
        revert.put("lockstep.dev/rollback-of", V2);
        revert.put("lockstep.dev/rollback-to-revision", "2");
        List<HistoryEntry> recorded = List.of(
                new HistoryEntry("Deployment", "shop/web", 1, "web-1", V1, "v1", "Ada", Instant.EPOCH, "rolled out"),
                new HistoryEntry("Deployment", "shop/web", 3, "web-3", V3, "image v3", "Ada", Instant.EPOCH, "failed"));

        List<HistoryRow> rows = DeploymentHistory.rows(
                WEB,
                List.of(
                        rs("web-4", 4, revert),
                        rs("web-1", 1, commit(V1, "v1")),
                        rs("web-3", 3, commit(V3, "image v3"))),
                new RolloutStatus(RolloutState.HEALTHY, "ok", 4),
                recorded);

        assertThat(HistoryTable.render(rows)).isEqualTo("""
                REVISION    REPLICASET   COMMIT    SUBJECT             AUTHOR         APPLIED AT             RESULT
                1           web-1        1111111   v1                  Ada Lovelace   2026-11-26T10:00:00Z   rolled out
                3           web-3        3333333   image v3            Ada Lovelace   2026-11-26T10:00:00Z   failed
                4 (was 2)   web-4        4444444   Revert "image v3"   Ada Lovelace   2026-11-26T10:00:00Z   rolled back to 2 (2222222)
                """);
    }

    @Test
    void theCurrentRevisionShowsTheLiveRolloutAndForeignReplicaSetsAreMarked() {
        List<HistoryRow> rows = DeploymentHistory.rows(
                WEB,
                List.of(rs("web-1", 1, Map.of()), rs("web-2", 2, commit(V2, "v2"))),
                new RolloutStatus(RolloutState.PROGRESSING, "waiting", 2),
                List.of());
        assertThat(rows.get(0).commit()).isEqualTo("-");
        assertThat(rows.get(0).subject()).isEqualTo("(not applied by lockstep)");
        assertThat(rows.get(1).result()).isEqualTo("progressing");
    }

    @Test
    void aStatefulSetOfTheSameNameDoesNotLendItsRecordedResults() {
        List<HistoryEntry> recorded = List.of(
                new HistoryEntry("StatefulSet", "shop/web", 2, "web-2", V2, "v2", "Ada", Instant.EPOCH, "failed"),
                new HistoryEntry("Deployment", "shop/web", 1, "web-1", V1, "v1", "Ada", Instant.EPOCH, "rolled out"));
        List<ReplicaSetInfo> revisions = List.of(rs("web-1", 1, commit(V1, "v1")), rs("web-2", 2, commit(V2, "v2")));
        RolloutStatus healthyAt1 = new RolloutStatus(RolloutState.HEALTHY, "ok", 1);

        List<HistoryRow> deployment = DeploymentHistory.rows(WEB, revisions, healthyAt1, recorded);
        List<HistoryRow> statefulSet = DeploymentHistory.rows(
                ResourceKey.of("apps/v1", "StatefulSet", "shop", "web"), revisions, healthyAt1, recorded);

        assertThat(deployment).extracting(HistoryRow::result).containsExactly("rolled out", "-");
        assertThat(statefulSet).extracting(HistoryRow::result).containsExactly("rolled out", "failed");
    }

    @Test
    void aStatefulSetStillRollingOutACommitRecordedFailedIsFailed() {
        ResourceKey db = ResourceKey.of("apps/v1", "StatefulSet", "shop", "web");
        List<HistoryEntry> recorded = List.of(
                new HistoryEntry("StatefulSet", "shop/web", 2, "web-2", V2, "v2", "Ada", Instant.EPOCH, "failed"));
        RolloutStatus live = new RolloutStatus(RolloutState.PROGRESSING, "Waiting for 1 pods to be ready...", 2);

        assertThat(JudgedState.of(db, at(V2), live, recorded))
                .isEqualTo(new RolloutStatus(
                        RolloutState.FAILED, "rollout of 2222222 failed: Waiting for 1 pods to be ready...", 2));
        assertThat(JudgedState.of(WEB, at(V2), live, recorded))
                .as("the Deployment of the same name did not fail")
                .isEqualTo(live);
        assertThat(JudgedState.of(db, at(V3), live, recorded))
                .as("a newer commit rolls out")
                .isEqualTo(live);
    }

    private static Map<String, Object> at(String commit) {
        return Map.of("metadata", Map.of("annotations", Map.of(MetadataKeys.COMMIT, commit)));
    }
}
