package dev.lockstep.reconcile.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.AppRecord;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.TemplateChange;
import dev.lockstep.reconcile.pass.AppState;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import dev.lockstep.rollout.RolloutTracker;
import dev.lockstep.rollout.TrackedRollout;
import dev.lockstep.testing.FakeCluster;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.TestApps;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app's status never runs ahead of its history: a rollout shows its end only once the follower recorded it. */
class StatusViewTest {
    private static final ResourceKey WEB = ResourceKey.of("apps/v1", "Deployment", "shop", "web");
    private static final Instant NOW = Instant.parse("2024-05-02T11:31:00Z");
    private static final Revision COMMIT =
            new Revision("def5678" + "0".repeat(33), "Deploy web:3", "Deploy web:3\n", "Ada", "ada@example.com", NOW);

    @TempDir
    Path tmp;

    private final FakeCluster cluster = new FakeCluster();

    private StatusView view() throws Exception {
        var spec = TestApps.hello(GitRepoFixture.create(tmp.resolve("repo")), "shop");
        return new StatusView(spec, cluster, new RolloutTracker(cluster, cluster));
    }

    private static AppState state(Map<ResourceKey, TrackedRollout> followed) {
        AppRecord record = AppRecord.EMPTY.withInventory(List.of(new InventoryEntry(WEB, "apps/v1")));
        return AppState.initial().persisted(record).withRollouts(followed);
    }

    private void completeDeploymentInTheCache() {
        cluster.put(
                WEB,
                Map.of(
                        "apiVersion", "apps/v1",
                        "kind", "Deployment",
                        "metadata",
                                Map.of(
                                        "name",
                                        "web",
                                        "namespace",
                                        "shop",
                                        "generation",
                                        2L,
                                        "labels",
                                        Map.of(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE),
                                        "annotations",
                                        Map.of(MetadataKeys.DEPLOYMENT_REVISION, "3")),
                        "spec", Map.of("replicas", 3),
                        "status",
                                Map.of(
                                        "observedGeneration", 2L,
                                        "replicas", 3,
                                        "updatedReplicas", 3,
                                        "availableReplicas", 3,
                                        "conditions",
                                                List.of(Map.of(
                                                        "type", "Progressing",
                                                        "status", "True",
                                                        "reason", "NewReplicaSetAvailable")))));
    }

    @Test
    void aFollowedRolloutTheControllerEndedIsStillProgressingUntilTheFollowerRecordsIt() throws Exception {
        completeDeploymentInTheCache();
        TrackedRollout followed = new TrackedRollout(
                WEB, COMMIT, new TemplateChange(Optional.empty()), NOW, Optional.empty(), Optional.empty());

        RolloutStatus whileFollowed =
                view().of(state(Map.of(WEB, followed)), NOW).deployments().get("shop/web");

        assertThat(whileFollowed.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(whileFollowed.message())
                .isEqualTo("deployment \"web\" successfully rolled out (recording the result)");
    }

    @Test
    void onceRecordedTheSameDeploymentIsHealthy() throws Exception {
        completeDeploymentInTheCache();

        AppStatus recorded = view().of(state(Map.of()), NOW);

        assertThat(recorded.deployments().get("shop/web"))
                .isEqualTo(new RolloutStatus(RolloutState.HEALTHY, "deployment \"web\" successfully rolled out", 3));
    }
}
