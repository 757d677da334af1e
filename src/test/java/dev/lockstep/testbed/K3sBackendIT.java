package dev.lockstep.testbed;

import static dev.lockstep.testing.RolloutWaits.awaitRolloutComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The k3s variant of the test bed, on its own container: real scheduler and kubelet, real image pulls.
 * Skipped where there is no Docker (the local control plane covers those machines).
 */
class K3sBackendIT {

    private static final String K3S_IMAGE =
            System.getenv().getOrDefault("LOCKSTEP_TEST_K3S_IMAGE", "rancher/k3s:v1.30.6-k3s1");
    /** Tiny and always pullable; it only needs to start, not to serve. */
    private static final String PULLABLE_IMAGE = "registry.k8s.io/pause:3.9";

    @Test
    void appliesADeploymentAndItRollsOut() {
        Assumptions.assumeTrue(
                dockerAvailable(),
                "Docker is not available: the k3s backend cannot run here"
                        + " (the other integration tests use the local control plane instead)");
        try (K3sContainer k3s =
                new K3sContainer(DockerImageName.parse(K3S_IMAGE).asCompatibleSubstituteFor("rancher/k3s"))) {
            k3s.start();
            try (KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
                    .build()) {
                client.resource(deployment())
                        .inNamespace("default")
                        .fieldManager("lockstep-test")
                        .forceConflicts()
                        .serverSideApply();
                Deployment done = awaitRolloutComplete(client, "default", "pause");
                assertThat(done.getStatus().getAvailableReplicas()).isEqualTo(2);
                assertThat(done.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
            }
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static Deployment deployment() {
        Map<String, String> labels = Map.of("app", "pause");
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("pause")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("pause")
                .withImage(PULLABLE_IMAGE)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
