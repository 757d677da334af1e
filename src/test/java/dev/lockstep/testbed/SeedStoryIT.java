package dev.lockstep.testbed;

import static dev.lockstep.testing.DeploymentReport.REVISION;
import static dev.lockstep.testing.DeploymentReport.REVISION_HISTORY;
import static dev.lockstep.testing.RolloutWaits.awaitProgressDeadlineExceeded;
import static dev.lockstep.testing.RolloutWaits.awaitRolloutComplete;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.testing.DeploymentReport;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The project's seed story against a real control plane, with plain fabric8 server-side apply (no Lockstep code):
 * it proves the test bed reproduces what Lockstep relies on, most of all ReplicaSet reuse on a reverted template.
 */
@RealCluster
class SeedStoryIT {

    private static final String APP = "hello-app";
    private static final String FIELD_MANAGER = "lockstep-test";
    private static final Map<String, String> LABELS = Map.of("app", APP);

    @Test
    void revertingToTheV2TemplateReusesTheV2ReplicaSetAsRevision4(TestCluster cluster) {
        KubernetesClient client = cluster.client();
        String ns = cluster.namespace();
        cluster.keepImagesUnready(".*:v3"); // on k3s: v3 must be an image that never gets ready

        apply(client, service());
        Service service = client.services().withName(APP).get();
        assertThat(service.getSpec().getPorts())
                .singleElement()
                .satisfies(p ->
                        assertThat(p.getNodePort()).as("NodePort allocated").isPositive());

        // 1. v1 rolls out: revision 1
        apply(client, deployment("080196/hello-app:v1", null));
        Deployment v1 = awaitRolloutComplete(client, ns, APP);
        assertThat(v1.getStatus().getAvailableReplicas())
                .as(() -> report(cluster))
                .isEqualTo(3);
        assertThat(v1.getMetadata().getAnnotations()).as(() -> report(cluster)).containsEntry(REVISION, "1");
        ReplicaSet rs1 = replicaSetWithImage(client, v1, "080196/hello-app:v1");
        assertThat(rs1.getMetadata().getAnnotations()).containsEntry(REVISION, "1");

        // 2. v2 rolls out: revision 2, v1 scaled to zero
        apply(client, deployment("080196/hello-app:v2", null));
        Deployment v2 = awaitRolloutComplete(client, ns, APP);
        assertThat(v2.getMetadata().getAnnotations()).as(() -> report(cluster)).containsEntry(REVISION, "2");
        ReplicaSet rs2 = replicaSetWithImage(client, v2, "080196/hello-app:v2");
        assertThat(rs2.getMetadata().getAnnotations()).containsEntry(REVISION, "2");
        assertThat(rs2.getStatus().getReadyReplicas()).as(() -> report(cluster)).isEqualTo(3);

        // 3. v3 never gets ready: the rollout fails with ProgressDeadlineExceeded, v2 keeps serving
        apply(client, deployment("080196/hello-app:v3", 5));
        Deployment v3 = awaitProgressDeadlineExceeded(client, ns, APP);
        assertThat(v3.getMetadata().getAnnotations()).as(() -> report(cluster)).containsEntry(REVISION, "3");
        ReplicaSet rs3 = replicaSetWithImage(client, v3, "080196/hello-app:v3");
        assertThat(java.util.Objects.requireNonNullElse(rs3.getStatus().getReadyReplicas(), 0))
                .as(() -> "v3 pods never ready\n" + report(cluster))
                .isZero();
        assertThat(client.apps()
                        .replicaSets()
                        .withName(rs2.getMetadata().getName())
                        .get()
                        .getStatus()
                        .getReadyReplicas())
                .as(() -> "v2 still serving\n" + report(cluster))
                .isEqualTo(3);

        // 4. the v2 template again (what a git revert produces): same ReplicaSet, revision 4, history "2"
        apply(client, deployment("080196/hello-app:v2", null));
        Deployment reverted = awaitRolloutComplete(client, ns, APP);
        assertThat(reverted.getMetadata().getAnnotations())
                .as(() -> report(cluster))
                .containsEntry(REVISION, "4");
        ReplicaSet reused = replicaSetWithImage(client, reverted, "080196/hello-app:v2");
        assertThat(reused.getMetadata().getName())
                .as(() -> "v2 ReplicaSet reused\n" + report(cluster))
                .isEqualTo(rs2.getMetadata().getName());
        assertThat(reused.getMetadata().getUid()).isEqualTo(rs2.getMetadata().getUid());
        assertThat(reused.getMetadata().getAnnotations())
                .as(() -> report(cluster))
                .containsEntry(REVISION, "4")
                .containsEntry(REVISION_HISTORY, "2");
        assertThat(DeploymentReport.ownedReplicaSets(client, reverted))
                .as(() -> report(cluster))
                .hasSize(3);
    }

    /** Server-side apply as Lockstep does it: one field manager, conflicts forced. */
    private static void apply(KubernetesClient client, io.fabric8.kubernetes.api.model.HasMetadata object) {
        client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    /** @param progressDeadlineSeconds null leaves the server default (600 s) */
    private static Deployment deployment(String image, Integer progressDeadlineSeconds) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(APP)
                .withLabels(LABELS)
                .endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .withProgressDeadlineSeconds(progressDeadlineSeconds)
                .withNewSelector()
                .withMatchLabels(LABELS)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(LABELS)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(APP)
                .withImage(image)
                // Kubernetes 1.20 rejects a server-side applied port without protocol
                .addNewPort()
                .withContainerPort(8080)
                .withProtocol("TCP")
                .endPort()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Service service() {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(APP)
                .withLabels(LABELS)
                .endMetadata()
                .withNewSpec()
                .withType("NodePort")
                .withSelector(LABELS)
                .addNewPort()
                .withPort(80)
                .withNewTargetPort(8080)
                .withProtocol("TCP")
                .endPort()
                .endSpec()
                .build();
    }

    private static ReplicaSet replicaSetWithImage(KubernetesClient client, Deployment d, String image) {
        List<ReplicaSet> matching = DeploymentReport.ownedReplicaSets(client, d).stream()
                .filter(rs -> image.equals(rs.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage()))
                .toList();
        assertThat(matching)
                .as("ReplicaSets with image " + image + "\n"
                        + DeploymentReport.describe(client, d.getMetadata().getNamespace(), APP))
                .hasSize(1);
        return matching.get(0);
    }

    private static String report(TestCluster cluster) {
        return DeploymentReport.describe(cluster.client(), cluster.namespace(), APP);
    }
}
