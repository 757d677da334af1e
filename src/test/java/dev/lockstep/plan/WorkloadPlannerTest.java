package dev.lockstep.plan;

import static dev.lockstep.plan.PlanFixtures.NS;
import static dev.lockstep.plan.PlanFixtures.commit;
import static dev.lockstep.plan.PlanFixtures.manifest;
import static dev.lockstep.plan.PlanFixtures.map;
import static dev.lockstep.plan.PlanFixtures.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.MetadataKeys;
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
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** StatefulSets, DaemonSets and Jobs in the plan: commit annotations, rollback by ControllerRevision equality. */
class WorkloadPlannerTest {
    private static final Executor DIRECT = Runnable::run;
    private static final Clock NOW = Clock.fixed(Instant.parse("2024-05-02T11:30:00Z"), ZoneOffset.UTC);
    private static final ResourceKey DB = ResourceKey.of("apps/v1", "StatefulSet", NS, "db");
    private static final ResourceKey MIGRATE = ResourceKey.of("batch/v1", "Job", NS, "migrate");
    private static final Revision FIRST = commit("abc1234" + "0".repeat(33), "db v1");
    private static final Revision SECOND = commit("def5678" + "0".repeat(33), "db v2");

    private final FakeCluster cluster = new FakeCluster();

    private TestPlanner planner() {
        return new TestPlanner(new Planner(cluster, cluster, cluster, cluster, DIRECT, NOW));
    }

    private static Manifest statefulSet(String image) {
        return manifest(
                "apps/v1",
                "StatefulSet",
                NS,
                "db",
                map("spec", map("selector", map("matchLabels", map("app", "web")), "template", podTemplate(image))),
                "app/db.yaml",
                1);
    }

    private Change plan(Revision commit, Manifest m) {
        var result = planner().plan("shop", commit, List.of(m), List.of());
        assertThat(result).isInstanceOf(PlanResult.Ready.class);
        return ((PlanResult.Ready) result).plan().changes().get(0);
    }

    private void applied(Revision commit, Manifest m) {
        Change c = plan(commit, m);
        cluster.apply(c.key(), c.body());
        cluster.clearCalls();
    }

    @Test
    void aStatefulSetTemplateBackToAnOlderControllerRevisionIsARollbackWithItsCommit() {
        applied(FIRST, statefulSet("db:1"));
        applied(SECOND, statefulSet("db:2"));
        Map<String, Object> v1 = Tree.deepCopy(podTemplate("db:1"));
        cluster.controllerRevisions(
                "StatefulSet " + NS + "/db",
                List.of(revision("db-5d4f", 1, v1, FIRST), revision("db-7c9b", 2, podTemplate("db:2"), SECOND)));
        Revision back = commit("0a1b2c3" + "0".repeat(33), "Revert \"db v2\"");

        Change change = plan(back, statefulSet("db:1"));

        assertThat(change.rollout().orElseThrow().reuses())
                .contains(new TemplateChange.ReusedReplicaSet("db-5d4f", 1, FIRST.commit()));
        Map<String, Object> annotations = Tree.map(change.body(), "metadata", "annotations");
        assertThat(annotations)
                .containsEntry(
                        MetadataKeys.CHANGE_CAUSE, "0a1b2c3 Revert \"db v2\" (rollback to revision 1, commit abc1234)")
                .containsEntry(MetadataKeys.ROLLBACK_OF, FIRST.commit());
        assertThat(Tree.map(change.body(), "spec", "template", "metadata"))
                .as("no commit data in the pod template")
                .doesNotContainKey("annotations");
        assertThat(cluster.calls("listControllerRevisions")).hasSize(1);
    }

    @Test
    void aNewStatefulSetCarriesTheCommitAndListsNoRevision() {
        Change change = plan(FIRST, statefulSet("db:1"));

        assertThat(change.rollout()).contains(new TemplateChange(Optional.empty()));
        assertThat(Tree.map(change.body(), "metadata", "annotations"))
                .containsEntry(MetadataKeys.CHANGE_CAUSE, "abc1234 db v1");
        assertThat(cluster.calls("listControllerRevisions")).isEmpty();
    }

    @Test
    void aNewJobIsFollowedWithoutCommitAnnotations() {
        Manifest job = manifest(
                "batch/v1",
                "Job",
                NS,
                "migrate",
                map("spec", map("template", podTemplate("migrate:1"))),
                "app/job.yaml",
                1);

        Change change = plan(FIRST, job);

        assertThat(change.key()).isEqualTo(MIGRATE);
        assertThat(change.rollout()).contains(new TemplateChange(Optional.empty()));
        assertThat(Tree.map(change.body(), "metadata", "annotations")).doesNotContainKey(MetadataKeys.CHANGE_CAUSE);
    }

    private static ControllerRevisionInfo revision(String name, long n, Map<String, Object> template, Revision by) {
        return new ControllerRevisionInfo(
                name,
                "uid-" + name,
                n,
                Map.of(MetadataKeys.COMMIT, by.commit()),
                template,
                Instant.parse("2024-04-01T00:00:00Z").plusSeconds(n));
    }
}
