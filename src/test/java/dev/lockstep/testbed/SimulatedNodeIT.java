package dev.lockstep.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.testing.DeploymentReport;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated node, as the cluster sees it: a Ready node that binds, starts and removes pods. */
@RealCluster
class SimulatedNodeIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private KubernetesClient client;
    private String nodeName;

    @BeforeEach
    void needsSimulatedNode(TestCluster cluster) {
        Assumptions.assumeTrue(
                cluster.simulatedNode().isPresent(), "no simulated node on " + cluster.backendDescription());
        client = cluster.client();
        nodeName = cluster.simulatedNode().orElseThrow().nodeName();
    }

    @Test
    void registersAReadyNode() {
        Node node = client.nodes().withName(nodeName).get();
        assertThat(node).as("node " + nodeName).isNotNull();
        assertThat(node.getMetadata().getLabels()).containsEntry(SimulatedNodeConfig.SIMULATED_NODE_LABEL, "true");
        assertThat(node.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThat(node.getStatus().getAllocatable()).containsKeys("cpu", "memory", "pods");
    }

    @Test
    void bindsAPendingPodAndReportsItRunningAndReady() {
        client.pods().resource(pod("ready-pod", "example/app:1.0")).create();

        Pod pod = awaitPod("ready-pod", "running", p -> "Running".equals(phase(p)));
        assertThat(pod.getSpec().getNodeName()).isEqualTo(nodeName);
        assertThat(pod.getStatus().getPodIP()).isNotBlank();
        assertThat(conditions(pod))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "PodScheduled", "True", "Initialized", "True", "ContainersReady", "True", "Ready", "True"));
        assertThat(pod.getStatus().getContainerStatuses()).singleElement().satisfies(c -> {
            assertThat(c.getReady()).isTrue();
            assertThat(c.getStarted()).isTrue();
            assertThat(c.getState().getRunning().getStartedAt()).isNotBlank();
        });
    }

    @Test
    void keepsImagesNamedByTheNamespaceAnnotationRunningButUnready(TestCluster cluster) {
        cluster.keepImagesUnready(".*-unready");
        client.pods().resource(pod("stuck-pod", "example/app:1.0-unready")).create();
        client.pods().resource(pod("fine-pod", "example/app:1.0")).create();

        awaitPod("fine-pod", "ready", p -> "True".equals(conditions(p).get("Ready")));
        Pod stuck = awaitPod("stuck-pod", "running", p -> "Running".equals(phase(p)));
        assertThat(conditions(stuck)).containsEntry("Ready", "False").containsEntry("ContainersReady", "False");
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(
                                conditions(client.pods().withName("stuck-pod").get()))
                        .containsEntry("Ready", "False"));
    }

    @Test
    void removesAPodBeingDeletedWithoutWaitingForItsGracePeriod() {
        client.pods().resource(pod("doomed-pod", "example/app:1.0")).create();
        awaitPod("doomed-pod", "running", p -> "Running".equals(phase(p)));

        client.pods().withName("doomed-pod").withGracePeriod(600).delete();

        await("pod doomed-pod removed")
                .atMost(WAIT)
                .until(() -> client.pods().withName("doomed-pod").get() == null);
    }

    private Pod awaitPod(String name, String what, Predicate<Pod> condition) {
        AtomicReference<Pod> last = new AtomicReference<>();
        await("pod " + name + " " + what)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    Pod p = client.pods().withName(name).get();
                    last.set(p);
                    assertThat(p != null && condition.test(p))
                            .as(() -> p == null ? "pod " + name + " is missing" : DeploymentReport.describePod(p))
                            .isTrue();
                });
        return last.get();
    }

    private static Pod pod(String name, String image) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .endContainer()
                .endSpec()
                .build();
    }

    private static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    private static Map<String, String> conditions(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return Map.of();
        }
        return p.getStatus().getConditions().stream()
                .collect(Collectors.toMap(PodCondition::getType, PodCondition::getStatus, (a, b) -> b));
    }
}
