package dev.lockstep.plan;

import static dev.lockstep.plan.PlanFixtures.APP;
import static dev.lockstep.plan.PlanFixtures.DIRECT;
import static dev.lockstep.plan.PlanFixtures.NS;
import static dev.lockstep.plan.PlanFixtures.SETTINGS;
import static dev.lockstep.plan.PlanFixtures.WEB;
import static dev.lockstep.plan.PlanFixtures.at;
import static dev.lockstep.plan.PlanFixtures.commit;
import static dev.lockstep.plan.PlanFixtures.configMap;
import static dev.lockstep.plan.PlanFixtures.deployment;
import static dev.lockstep.plan.PlanFixtures.manifest;
import static dev.lockstep.plan.PlanFixtures.map;
import static dev.lockstep.plan.PlanFixtures.namespace;
import static dev.lockstep.plan.PlanFixtures.podTemplate;
import static dev.lockstep.plan.PlanFixtures.widget;
import static dev.lockstep.plan.PlanFixtures.widgetCrd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.cluster.ClusterException;
import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.history.CommitAnnotations;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.TemplateChange;
import dev.lockstep.testing.FakeCluster;
import dev.lockstep.util.Tree;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlannerTest {
    private static final Clock DAY_ONE = Clock.fixed(Instant.parse("2024-05-01T10:00:00.750Z"), ZoneOffset.UTC);
    private static final Clock DAY_TWO = Clock.fixed(Instant.parse("2024-05-02T11:30:00.250Z"), ZoneOffset.UTC);
    private static final Revision FIRST = commit(sha("abc1234"), "Deploy web:1");
    private static final Revision SECOND = commit(sha("def5678"), "Deploy web:2");
    private static final Revision THIRD = commit(sha("9876543"), "Deploy web:3");

    private final FakeCluster cluster = new FakeCluster();

    private static String sha(String prefix) {
        return prefix + "0".repeat(40 - prefix.length());
    }

    private TestPlanner planner(Clock clock) {
        return TestPlanner.deploymentsOnly(cluster, cluster, cluster, DIRECT, clock);
    }

    private Plan plan(Revision commit, Manifest... manifests) {
        return ready(planner(DAY_TWO).plan(APP, commit, List.of(manifests), List.of()));
    }

    private static Plan ready(PlanResult result) {
        assertThat(result).isInstanceOf(PlanResult.Ready.class);
        return ((PlanResult.Ready) result).plan();
    }

    private static Change changeOf(Plan plan, ResourceKey key) {
        return plan.changes().stream()
                .filter(c -> c.key().equals(key))
                .findFirst()
                .orElseThrow();
    }

    private static Map<String, Object> annotations(Change change) {
        return Tree.map(change.body(), "metadata", "annotations");
    }

    /** A previous pass: plans the commit on day one and applies what it would write, as the reconcile pass does. */
    private void applied(Revision commit, Manifest... manifests) {
        Plan plan = ready(planner(DAY_ONE).plan(APP, commit, List.of(manifests), List.of()));
        plan.changes().stream().filter(Change::writes).forEach(c -> cluster.apply(c.key(), c.body()));
        cluster.clearCalls();
    }

    private static ReplicaSetInfo replicaSet(
            String name, long revision, Map<String, Object> template, Revision madeBy) {
        return new ReplicaSetInfo(
                name,
                "uid-" + name,
                revision,
                Map.of(MetadataKeys.DEPLOYMENT_REVISION, Long.toString(revision), MetadataKeys.COMMIT, madeBy.commit()),
                template,
                Instant.parse("2024-04-01T00:00:00Z").plusSeconds(revision),
                0);
    }

    // ---- create / update / unchanged ----

    @Test
    void anObjectThatIsNotLiveIsCreatedAfterItsDryRun() {
        Change change = changeOf(plan(FIRST, configMap("settings", map("mode", "fast"))), SETTINGS);

        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(change.predicted()).isPresent();
        assertThat(cluster.calls()).containsExactly("dryRun ConfigMap/shop/settings");
    }

    @Test
    void anObjectWhoseDryRunMatchesLiveIsUnchanged() {
        applied(FIRST, configMap("settings", map("mode", "fast")));

        Plan plan = plan(SECOND, configMap("settings", map("mode", "fast")));

        assertThat(changeOf(plan, SETTINGS).action()).isEqualTo(Action.UNCHANGED);
        assertThat(plan.writeCount()).isZero();
    }

    @Test
    void anObjectWhoseDryRunDiffersFromLiveIsUpdated() {
        applied(FIRST, configMap("settings", map("mode", "fast")));

        Change change = changeOf(plan(SECOND, configMap("settings", map("mode", "safe"))), SETTINGS);

        assertThat(change.action()).isEqualTo(Action.UPDATE);
        assertThat(Tree.string(change.predicted().orElseThrow(), "data", "mode"))
                .contains("safe");
    }

    @Test
    void anUntouchedDeploymentIsUnchangedAndKeepsTheCommitThatMadeIt() {
        applied(FIRST, deployment("web", "web:1"));

        Change change = changeOf(plan(SECOND, deployment("web", "web:1")), WEB);

        assertThat(change.action()).isEqualTo(Action.UNCHANGED);
        assertThat(change.rollout()).isEmpty();
        assertThat(annotations(change)).containsEntry(MetadataKeys.COMMIT, FIRST.commit());
    }

    @Test
    void theInventoryMinusGitBecomesTheOrphans() {
        InventoryEntry kept = new InventoryEntry(SETTINGS, "v1");
        InventoryEntry gone = new InventoryEntry(ResourceKey.of("v1", "ConfigMap", NS, "legacy"), "v1");

        Plan plan = ready(planner(DAY_TWO)
                .plan(APP, FIRST, List.of(configMap("settings", map("mode", "fast"))), List.of(kept, gone)));

        assertThat(plan.orphans()).containsExactly(gone);
    }

    // ---- Deployment templates, commit annotations and rollbacks ----

    @Test
    void aNewDeploymentIsCreatedWithTheCommitsAnnotationsAndNoReplicaSetLookup() {
        Change change = changeOf(plan(FIRST, deployment("web", "web:1")), WEB);

        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(change.rollout()).contains(new TemplateChange(Optional.empty()));
        assertThat(annotations(change))
                .containsEntry(MetadataKeys.COMMIT, FIRST.commit())
                .containsEntry(MetadataKeys.CHANGE_CAUSE, "abc1234 Deploy web:1")
                .containsEntry(MetadataKeys.COMMIT_AUTHOR, "Ada <ada@example.com>")
                .containsEntry(MetadataKeys.APPLIED_AT, "2024-05-02T11:30:00Z");
        assertThat(cluster.calls("listReplicaSets")).isEmpty();
    }

    @Test
    void aTemplateChangeWritesTheNewCommitsAnnotationsAtTheClocksTime() {
        applied(FIRST, deployment("web", "web:1"));

        Change change = changeOf(plan(SECOND, deployment("web", "web:2")), WEB);

        assertThat(change.action()).isEqualTo(Action.UPDATE);
        assertThat(change.rollout()).isPresent();
        assertThat(annotations(change))
                .containsEntry(MetadataKeys.COMMIT, SECOND.commit())
                .containsEntry(MetadataKeys.COMMIT_SUBJECT, "Deploy web:2")
                .containsEntry(MetadataKeys.CHANGE_CAUSE, "def5678 Deploy web:2")
                .containsEntry(MetadataKeys.COMMIT_TIME, "2024-05-01T09:00:00Z")
                .containsEntry(MetadataKeys.APPLIED_AT, "2024-05-02T11:30:00Z");
    }

    @Test
    void aTemplateThatMatchesNoReplicaSetIsNotARollback() {
        applied(FIRST, deployment("web", "web:1"));
        cluster.replicaSets(NS + "/web", List.of(replicaSet("web-1", 1, podTemplate("web:1"), FIRST)));

        Change change = changeOf(plan(SECOND, deployment("web", "web:2")), WEB);

        assertThat(change.rollout().orElseThrow().reuses()).isEmpty();
        assertThat(annotations(change)).doesNotContainKeys(MetadataKeys.ROLLBACK_OF, MetadataKeys.ROLLBACK_REVISION);
        assertThat(cluster.calls("listReplicaSets")).containsExactly("listReplicaSets shop/web");
    }

    @Test
    void aRollbackIsRecognisedByTemplateEqualityAloneWithoutARevertMessage() {
        applied(FIRST, deployment("web", "web:1"));
        applied(SECOND, deployment("web", "web:2"));
        cluster.replicaSets(
                NS + "/web",
                List.of(
                        replicaSet("web-5d4f", 1, podTemplate("web:1"), FIRST),
                        replicaSet("web-7c9b", 2, podTemplate("web:2"), SECOND)));
        Revision goBack = commit(sha("0a1b2c3"), "go back");
        assertThat(goBack.message()).doesNotContain("This reverts commit");

        Change change = changeOf(plan(goBack, deployment("web", "web:1")), WEB);

        assertThat(change.action()).isEqualTo(Action.UPDATE);
        assertThat(change.rollout().orElseThrow().reuses())
                .contains(new TemplateChange.ReusedReplicaSet("web-5d4f", 1, FIRST.commit()));
        assertThat(annotations(change))
                .containsEntry(MetadataKeys.ROLLBACK_REVISION, "1")
                .containsEntry(MetadataKeys.ROLLBACK_OF, FIRST.commit())
                .containsEntry(MetadataKeys.COMMIT, goBack.commit());
        assertThat((String) annotations(change).get(MetadataKeys.CHANGE_CAUSE))
                .isEqualTo("0a1b2c3 go back (rollback to revision 1, commit abc1234)");
    }

    @Test
    void aForwardChangeAfterARollbackDropsTheRollbackAnnotations() {
        applied(FIRST, deployment("web", "web:1"));
        applied(SECOND, deployment("web", "web:2"));
        cluster.replicaSets(NS + "/web", List.of(replicaSet("web-5d4f", 1, podTemplate("web:1"), FIRST)));
        applied(commit(sha("0a1b2c3"), "go back"), deployment("web", "web:1"));
        assertThat(Tree.map(cluster.object(WEB).orElseThrow(), "metadata", "annotations"))
                .containsKey(MetadataKeys.ROLLBACK_REVISION);

        Change change = changeOf(plan(THIRD, deployment("web", "web:3")), WEB);

        assertThat(change.rollout().orElseThrow().reuses()).isEmpty();
        assertThat(annotations(change))
                .doesNotContainKeys(MetadataKeys.ROLLBACK_OF, MetadataKeys.ROLLBACK_REVISION)
                .containsEntry(MetadataKeys.CHANGE_CAUSE, "9876543 Deploy web:3");
    }

    @Test
    void anAnnotationOnlyChangeCarriesTheLiveCommitAnnotationsForwardUnchanged() {
        applied(FIRST, deployment("web", "web:1"));
        Map<String, Object> before = Tree.map(cluster.object(WEB).orElseThrow(), "metadata", "annotations");
        Manifest annotated = deployment("web", "web:1");
        Tree.ensureMap(annotated.body(), "metadata", "annotations").put("team", "payments");

        Change change = changeOf(plan(SECOND, annotated), WEB);

        assertThat(change.action()).isEqualTo(Action.UPDATE);
        assertThat(change.rollout()).isEmpty();
        assertThat(annotations(change))
                .containsEntry("team", "payments")
                .containsEntry(MetadataKeys.COMMIT, FIRST.commit())
                .containsEntry(MetadataKeys.CHANGE_CAUSE, "abc1234 Deploy web:1")
                .containsEntry(MetadataKeys.APPLIED_AT, "2024-05-01T10:00:00Z");
        for (String key : CommitAnnotations.KEYS) {
            assertThat(annotations(change).get(key)).as(key).isEqualTo(before.get(key));
        }
    }

    @Test
    void anHpaTargetingADeploymentLeavesItsReplicasOut() {
        Manifest hpa = manifest(
                "autoscaling/v2",
                "HorizontalPodAutoscaler",
                NS,
                "web",
                map(
                        "spec",
                        map(
                                "scaleTargetRef",
                                map("apiVersion", "apps/v1", "kind", "Deployment", "name", "web"),
                                "minReplicas",
                                2,
                                "maxReplicas",
                                10)),
                "app/web-hpa.yaml",
                1);
        ResourceKey api = ResourceKey.of("apps/v1", "Deployment", NS, "api");

        Plan plan = plan(FIRST, deployment("web", "web:1"), deployment("api", "api:1"), hpa);

        assertThat(Tree.map(changeOf(plan, WEB).body(), "spec")).doesNotContainKey("replicas");
        assertThat(Tree.number(changeOf(plan, api).body(), "spec", "replicas")).contains(2L);
    }

    // ---- what the server refuses, and what fails ----

    @Test
    void aDryRunRejectedWith4xxRejectsTheRevisionNamingFileAndLineAndAppliesNothing() {
        cluster.failDryRun(WEB, 422, "spec.template.spec.containers[0].image: Required value");

        PlanResult result = planner(DAY_TWO)
                .plan(
                        APP,
                        FIRST,
                        List.of(
                                configMap("settings", map("mode", "fast")),
                                at(deployment("web", ""), "app/web.yaml", 12)),
                        List.of());

        assertThat(result)
                .isEqualTo(new PlanResult.Rejected(List.of("app/web.yaml:12: dry-run apply Deployment/shop/web failed: "
                        + "spec.template.spec.containers[0].image: Required value")));
        assertThat(cluster.calls("apply")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {409, 500, 503})
    void aDryRunFailingWithAConflictOrServerErrorFailsThePlanForARetry(int status) {
        cluster.failDryRun(WEB, status, "etcdserver: request timed out");

        PlanResult result = planner(DAY_TWO)
                .plan(APP, FIRST, List.of(at(deployment("web", "web:1"), "app/web.yaml", 12)), List.of());

        assertThat(result)
                .isEqualTo(new PlanResult.Failed(
                        "app/web.yaml:12: dry-run apply Deployment/shop/web failed: etcdserver: request timed out"));
        assertThat(cluster.calls("apply")).isEmpty();
    }

    @Test
    void aRejectionWinsOverARetryableFailureInTheSameRevision() {
        cluster.failDryRun(WEB, 500, "internal error");
        cluster.failDryRun(SETTINGS, 422, "data: Invalid value");

        PlanResult result = planner(DAY_TWO)
                .plan(
                        APP,
                        FIRST,
                        List.of(deployment("web", "web:1"), configMap("settings", map("mode", "fast"))),
                        List.of());

        assertThat(result)
                .isEqualTo(new PlanResult.Rejected(List.of(
                        "app/settings.yaml:1: dry-run apply ConfigMap/shop/settings failed: data: Invalid value")));
    }

    @Test
    void aBugInAPortIsThrownOutOfPlanNotReturnedAsARetryableFailure() {
        LiveObjects broken = new PlanFixtures.DelegatingLive(cluster) {
            @Override
            public Optional<Map<String, Object>> get(String apiVersion, ResourceKey key) {
                throw new NullPointerException("no informer index for " + key);
            }
        };
        TestPlanner planner = TestPlanner.deploymentsOnly(cluster, broken, cluster, DIRECT, DAY_TWO);

        assertThatThrownBy(() -> planner.plan(APP, FIRST, List.of(deployment("web", "web:1")), List.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("no informer index for Deployment/shop/web");
        assertThat(cluster.calls("apply")).isEmpty();
    }

    @Test
    void aKindTheClusterDoesNotServeIsRejectedBeforeAnyDryRun() {
        cluster.unserved("Widget");

        PlanResult result = planner(DAY_TWO)
                .plan(
                        APP,
                        FIRST,
                        List.of(configMap("settings", map("mode", "fast")), at(widget("blue"), "app/widgets.yaml", 3)),
                        List.of());

        assertThat(result)
                .isEqualTo(new PlanResult.Rejected(
                        List.of("app/widgets.yaml:3: the cluster does not serve kind Widget in example.com/v1")));
        assertThat(cluster.calls("dryRun")).isEmpty();
    }

    @Test
    void aWatchThatCannotStartForAnotherReasonFailsThePlanForARetry() {
        LiveObjects unreachable = new PlanFixtures.DelegatingLive(cluster) {
            @Override
            public void watch(String apiVersion, String kind) {
                throw new ClusterException("cannot watch " + apiVersion + "/" + kind + ": connection refused", 0, null);
            }
        };
        TestPlanner planner = TestPlanner.deploymentsOnly(cluster, unreachable, cluster, DIRECT, DAY_TWO);

        PlanResult result = planner.plan(APP, FIRST, List.of(deployment("web", "web:1")), List.of());

        assertThat(result).isEqualTo(new PlanResult.Failed("cannot watch apps/v1/Deployment: connection refused"));
    }

    @Test
    void anOrphanOfAKindTheClusterNoLongerServesDoesNotBlockThePlan() {
        cluster.unserved("Widget");
        InventoryEntry oldWidget =
                new InventoryEntry(ResourceKey.of("example.com/v1", "Widget", NS, "old"), "example.com/v1");

        Plan plan = ready(planner(DAY_TWO)
                .plan(APP, FIRST, List.of(configMap("settings", map("mode", "fast"))), List.of(oldWidget)));

        assertThat(plan.orphans()).containsExactly(oldWidget);
    }

    @Test
    void aTransientWatchFailureOnAnInventoryKindFailsThePlanInsteadOfPlanningAPruneBlind() {
        ResourceKey cleanup = ResourceKey.of("batch/v1", "CronJob", NS, "cleanup");
        LiveObjects slow = new PlanFixtures.DelegatingLive(cluster) {
            @Override
            public void watch(String apiVersion, String kind) {
                if (kind.equals("CronJob")) {
                    throw new ClusterException(
                            "cannot watch batch/v1/CronJob: timed out waiting for the first list", 0, null);
                }
                super.watch(apiVersion, kind);
            }
        };
        TestPlanner planner = TestPlanner.deploymentsOnly(cluster, slow, cluster, DIRECT, DAY_TWO);

        PlanResult result = planner.plan(
                APP,
                FIRST,
                List.of(configMap("settings", map("mode", "fast"))),
                List.of(new InventoryEntry(cleanup, "batch/v1")));

        assertThat(result).isInstanceOf(PlanResult.Failed.class);
    }

    // ---- what is not dry-run ----

    @Test
    void objectsInANamespaceCreatedByTheSameCommitAreNotDryRun() {
        Manifest fresh = namespace("fresh");
        Manifest settings = manifest(
                "v1", "ConfigMap", "fresh", "settings", map("data", map("mode", "fast")), "app/settings.yaml", 1);

        Plan plan = plan(FIRST, fresh, settings);

        Change change = changeOf(plan, settings.key());
        assertThat(change.predicted()).isEmpty();
        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(cluster.calls("dryRun")).containsExactly("dryRun Namespace/fresh");
    }

    @Test
    void objectsOfACrdDefinedInTheSameCommitAreNeitherWatchedNorDryRun() {
        cluster.unserved("Widget"); // not served yet: the CRD arrives with this commit

        Plan plan = plan(FIRST, widgetCrd(), widget("blue"));

        Change change = changeOf(plan, widget("blue").key());
        assertThat(change.predicted()).isEmpty();
        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(cluster.calls("dryRun")).containsExactly("dryRun CustomResourceDefinition/widgets.example.com");
    }

    // ---- what this process applied last ----

    @Test
    void aPriorApplyThatSaysUnchangedSkipsTheDryRun() {
        applied(FIRST, configMap("settings", map("mode", "fast")));
        PriorApply unchanged = (key, body, live) -> true;

        Plan plan = ready(planner(DAY_TWO)
                .plan(APP, SECOND, List.of(configMap("settings", map("mode", "fast"))), List.of(), unchanged));

        Change change = changeOf(plan, SETTINGS);
        assertThat(cluster.calls("dryRun")).isEmpty();
        assertThat(change.action()).isEqualTo(Action.UNCHANGED);
        assertThat(change.predicted()).isEqualTo(change.live());
    }

    @Test
    void aPriorApplyIsNotTrustedForAnObjectThatIsNotLive() {
        PriorApply unchanged = (key, body, live) -> true;

        Plan plan = ready(planner(DAY_TWO)
                .plan(APP, FIRST, List.of(configMap("settings", map("mode", "fast"))), List.of(), unchanged));

        assertThat(changeOf(plan, SETTINGS).action()).isEqualTo(Action.CREATE);
        assertThat(cluster.calls("dryRun")).containsExactly("dryRun ConfigMap/shop/settings");
    }
}
