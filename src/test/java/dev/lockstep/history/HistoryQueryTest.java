package dev.lockstep.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.AppRecord;
import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import dev.lockstep.testing.FakeCluster;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The read model over an in-memory cluster: what ran when, from which commit, and how it ended, as typed values. */
class HistoryQueryTest {
    private static final String V1 = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String V2 = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static final String V3 = "3333333ccccccccccccccccccccccccccccccccc";
    private static final String REVERT = "4444444ddddddddddddddddddddddddddddddddd";
    private static final String BY_HAND = "5555555eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
    private static final Instant APPLIED = Instant.parse("2026-11-26T10:00:00Z");

    private static final ResourceKey WEB = ResourceKey.of("apps/v1", "Deployment", "shop", "web");
    private static final ResourceKey DB = ResourceKey.of("apps/v1", "StatefulSet", "shop", "db");
    private static final ResourceKey MIGRATE = ResourceKey.of("batch/v1", "Job", "shop", "migrate");
    private static final ResourceKey SETTINGS = ResourceKey.of("v1", "ConfigMap", "shop", "settings");

    private final FakeCluster cluster = new FakeCluster();
    private final HistoryQuery query = new HistoryQuery(cluster, cluster, cluster, cluster);

    @BeforeEach
    void seedStory() {
        // v1 rolled out, v2 rolled out, v3 failed, the revert of v3 brought revision 2 back as revision 4
        Map<String, String> revert = new HashMap<>(commit(REVERT, "Revert \"image v3\""));
        revert.put(MetadataKeys.DEPLOYMENT_REVISION_HISTORY, "2");
        revert.put(MetadataKeys.ROLLBACK_OF, V2);
        revert.put(MetadataKeys.ROLLBACK_REVISION, "2");
        cluster.put(WEB, deployment(4, REVERT));
        cluster.replicaSets(
                "shop/web",
                List.of(
                        replicaSet("web-1", 1, commit(V1, "v1"), "web:v1"),
                        replicaSet("web-4", 4, revert, "web:v2"),
                        replicaSet("web-3", 3, commit(V3, "image v3"), "web:v3")));
        cluster.save(
                "shop",
                new AppRecord(
                        REVERT,
                        List.of(
                                new InventoryEntry(WEB, "apps/v1"),
                                new InventoryEntry(SETTINGS, "v1"),
                                new InventoryEntry(DB, "apps/v1"),
                                new InventoryEntry(MIGRATE, "batch/v1")),
                        List.of(
                                entry(WEB, 1, V1, "rolled out"),
                                entry(WEB, 3, V3, "failed"),
                                entry(DB, 2, V2, "failed"))));
        cluster.clearCalls();
    }

    @Test
    void aDeploymentsRevisionsNameTheirCommitTheirTimeAndHowTheyWent() {
        WorkloadHistory.Timeline web = timeline(query.ofApp("shop", Optional.of("web")));

        assertThat(web.now())
                .isEqualTo(new RolloutStatus(RolloutState.HEALTHY, "deployment \"web\" successfully rolled out", 4));
        assertThat(web.revisionKind()).isEqualTo("ReplicaSet");
        assertThat(web.revisions()).extracting(HistoryRevision::revision).containsExactly(1L, 3L, 4L);
        HistoryRevision four = web.revisions().get(2);
        assertThat(four.was()).containsExactly(2L);
        assertThat(four.current()).isTrue();
        assertThat(four.commit())
                .contains(new CommitRef(REVERT, "Revert \"image v3\"", "Ada Lovelace <ada@example.com>"));
        assertThat(four.commit().orElseThrow().authorName()).isEqualTo("Ada Lovelace");
        assertThat(four.appliedAt()).contains(APPLIED);
        assertThat(four.result()).isEqualTo(new RevisionResult(Outcome.ROLLED_BACK, "rolled back to 2 (2222222)"));
        assertThat(four.rollback()).contains(new RollbackOrigin(2, Optional.of(V2)));
        assertThat(four.images()).containsExactly("web:v2");
        assertThat(web.revisions().get(1).result().outcome()).isEqualTo(Outcome.FAILED);
        assertThat(web.revisions().get(0).result()).isEqualTo(new RevisionResult(Outcome.ROLLED_OUT, "rolled out"));
        assertThat(web.revisions().get(0).rollback()).isEmpty();
    }

    @Test
    void aRevisionLockstepDidNotMakeHasNoCommitAndAnUnknownResult() {
        cluster.replicaSets("shop/web", List.of(replicaSet("web-0", 0, Map.of(), "web:v0")));

        HistoryRevision foreign =
                timeline(query.ofApp("shop", Optional.of("web"))).revisions().get(0);

        assertThat(foreign.commit()).isEmpty();
        assertThat(foreign.appliedAt()).isEmpty();
        assertThat(foreign.result()).isEqualTo(new RevisionResult(Outcome.UNKNOWN, "-"));
        assertThat(HistoryRow.of(foreign))
                .isEqualTo(new HistoryRow("0", "web-0", "-", "(not applied by lockstep)", "-", "-", "-"));
    }

    @Test
    void aRollbackByHandAndASupersededRolloutKeepTheRecordsWordsAndSayWhatTheyAre() {
        cluster.save(
                "shop",
                cluster.load("shop")
                        .orElseThrow()
                        .withHistory(List.of(
                                entry(WEB, 1, V1, "superseded by 3333333"),
                                entry(WEB, 3, V3, "rolled back by hand to revision 1, recorded as commit 5555555"))));
        cluster.replicaSets(
                "shop/web",
                List.of(
                        replicaSet("web-1", 1, commit(V1, "v1"), "web:v1"),
                        replicaSet("web-3", 3, commit(V3, "image v3"), "web:v3"),
                        replicaSet("web-4", 4, commit(BY_HAND, "record the rollback"), "web:v1")));

        List<HistoryRevision> revisions =
                timeline(query.ofApp("shop", Optional.of("web"))).revisions();

        assertThat(revisions)
                .extracting(HistoryRevision::result)
                .containsExactly(
                        new RevisionResult(Outcome.SUPERSEDED, "superseded by 3333333"),
                        new RevisionResult(
                                Outcome.ROLLED_BACK_BY_HAND,
                                "rolled back by hand to revision 1, recorded as commit 5555555"),
                        new RevisionResult(Outcome.ROLLED_OUT, "rolled out"));
    }

    @Test
    void aStatefulSetIsAtItsCurrentControllerRevisionAndStillRollingOutACommitRecordedFailedIsFailed() {
        cluster.put(DB, statefulSet("db-2", V2));
        cluster.controllerRevisions(
                "StatefulSet shop/db",
                List.of(controllerRevision("db-1", 1, V1, "db:v1"), controllerRevision("db-2", 2, V2, "db:v2")));

        WorkloadHistory.Timeline db = timeline(query.ofApp("shop", Optional.of("db")));

        assertThat(db.revisionKind()).isEqualTo("ControllerRevision");
        assertThat(db.now().state()).isEqualTo(RolloutState.FAILED);
        assertThat(db.now().revision()).isEqualTo(2);
        assertThat(db.revisions())
                .extracting(r -> r.result().outcome())
                .containsExactly(Outcome.UNKNOWN, Outcome.FAILED);
        assertThat(db.revisions()).extracting(HistoryRevision::replicas).containsOnly(0);
    }

    @Test
    void aJobHasNoRevisionsOnlyItsState() {
        cluster.put(MIGRATE, managed("batch/v1", "Job", "migrate", Map.of(), Map.of("failed", 2)));

        List<WorkloadHistory> histories = query.ofApp("shop", Optional.of("migrate"));

        assertThat(histories).singleElement().isInstanceOf(WorkloadHistory.NoRevisions.class);
        assertThat(histories.get(0).workload()).isEqualTo(MIGRATE);
        assertThat(cluster.calls()).noneMatch(call -> call.startsWith("list"));
    }

    @Test
    void workloadsGoneFromTheClusterAndOtherKindsAreLeftOutAndOnlyTheAskedOnesAreListed() {
        List<WorkloadHistory> all = query.ofApp("shop", Optional.empty());

        assertThat(all).extracting(WorkloadHistory::workload).containsExactly(WEB);
        assertThat(cluster.calls()).containsExactly("load shop", "listReplicaSets shop/web");
        assertThat(query.ofApp("other", Optional.empty())).isEmpty();
    }

    @Test
    void thePagesTimelineTakesTheDaemonsJudgementAndDiffsAPastRevisionAgainstTheCurrentOne() {
        RolloutStatus judged = new RolloutStatus(RolloutState.PROGRESSING, "recording the result", 4);

        WorkloadHistory.Timeline web =
                query.judged("shop", WEB, cluster.object(WEB).orElseThrow(), judged);

        assertThat(web.now()).isEqualTo(judged);
        assertThat(web.revisions().get(2).result()).isEqualTo(new RevisionResult(Outcome.PROGRESSING, "progressing"));
        assertThat(web.showsCurrent()).isTrue();
        RevisionDiff diff = web.diff(3).orElseThrow();
        assertThat(diff.current()).isEqualTo(4);
        assertThat(diff.unified())
                .contains("--- revision 3 (web-3)")
                .contains("+++ revision 4 (web-4, current)")
                .containsPattern("(?m)^-.*image: web:v3$")
                .containsPattern("(?m)^\\+.*image: web:v2$");
        assertThat(web.diff(4).orElseThrow().unified()).isEmpty();
        assertThat(web.diff(9)).isEmpty();
    }

    @Test
    void aRollbackChoosesAmongTheRevisionsAWorkloadHasNowAndAMissingOneHasNone() {
        HistoryQuery.Revisions web = query.revisions(WEB).orElseThrow();

        assertThat(web.current()).isEqualTo(4);
        assertThat(web.list()).extracting(ReplicaSetInfo::name).containsExactly("web-1", "web-4", "web-3");
        assertThat(query.revisions(DB)).isEmpty();
    }

    @Test
    void statusJudgesEachJudgedObjectMarksTheMissingAndLeavesOtherKindsOut() {
        cluster.put(SETTINGS, managed("v1", "ConfigMap", "settings", Map.of(), Map.of()));

        List<ObjectState> states =
                new ObjectStates(cluster).of(cluster.load("shop").orElseThrow());

        assertThat(states)
                .containsExactly(
                        new ObjectState(
                                WEB,
                                Optional.of(new RolloutStatus(
                                        RolloutState.HEALTHY, "deployment \"web\" successfully rolled out", 4))),
                        new ObjectState(DB, Optional.empty()),
                        new ObjectState(MIGRATE, Optional.empty()));
    }

    // ---- the cluster, as the controllers leave it ----

    private static WorkloadHistory.Timeline timeline(List<WorkloadHistory> histories) {
        assertThat(histories).hasSize(1);
        return (WorkloadHistory.Timeline) histories.get(0);
    }

    private static Map<String, String> commit(String sha, String subject) {
        return Map.of(
                MetadataKeys.COMMIT,
                sha,
                MetadataKeys.COMMIT_SUBJECT,
                subject,
                MetadataKeys.COMMIT_AUTHOR,
                "Ada Lovelace <ada@example.com>",
                MetadataKeys.APPLIED_AT,
                APPLIED.toString());
    }

    private static Map<String, Object> template(String image) {
        return Map.of("spec", Map.of("containers", List.of(Map.of("name", "app", "image", image))));
    }

    private static ReplicaSetInfo replicaSet(
            String name, long revision, Map<String, String> annotations, String image) {
        return new ReplicaSetInfo(name, name, revision, annotations, template(image), APPLIED, 3);
    }

    private static ControllerRevisionInfo controllerRevision(String name, long revision, String sha, String image) {
        return new ControllerRevisionInfo(name, name, revision, commit(sha, "db " + image), template(image), APPLIED);
    }

    private static HistoryEntry entry(ResourceKey workload, long revision, String sha, String result) {
        return new HistoryEntry(
                workload.kind(),
                HistoryEntry.workloadOf(workload),
                revision,
                workload.name() + "-" + revision,
                sha,
                "s",
                "Ada Lovelace",
                APPLIED,
                result);
    }

    private static Map<String, Object> managed(
            String apiVersion, String kind, String name, Map<String, Object> spec, Map<String, Object> status) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("namespace", "shop");
        metadata.put("generation", 1);
        metadata.put("labels", Map.of(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE));
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        object.put("metadata", metadata);
        object.put("spec", spec);
        object.put("status", status);
        return object;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deployment(long revision, String sha) {
        Map<String, Object> d = managed(
                "apps/v1",
                "Deployment",
                "web",
                Map.of("replicas", 3, "selector", Map.of("matchLabels", Map.of("app", "web"))),
                Map.of(
                        "observedGeneration", 1,
                        "replicas", 3,
                        "updatedReplicas", 3,
                        "availableReplicas", 3));
        ((Map<String, Object>) d.get("metadata"))
                .put(
                        "annotations",
                        Map.of(MetadataKeys.DEPLOYMENT_REVISION, Long.toString(revision), MetadataKeys.COMMIT, sha));
        return d;
    }

    /** Rolling out {@code updateRevision}, one pod not ready (its controller keeps no failure condition). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> statefulSet(String updateRevision, String sha) {
        Map<String, Object> s = managed(
                "apps/v1",
                "StatefulSet",
                "db",
                Map.of("replicas", 2, "selector", Map.of("matchLabels", Map.of("app", "db"))),
                Map.of(
                        "observedGeneration", 1,
                        "readyReplicas", 1,
                        "updatedReplicas", 1,
                        "currentRevision", "db-1",
                        "updateRevision", updateRevision));
        ((Map<String, Object>) s.get("metadata")).put("annotations", Map.of(MetadataKeys.COMMIT, sha));
        return s;
    }
}
