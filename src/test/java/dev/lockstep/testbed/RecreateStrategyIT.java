package dev.lockstep.testbed;

import static dev.lockstep.testing.RolloutWaits.awaitRolloutComplete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Recreate Deployment removes every old pod before it creates any new one. */
@RealCluster
class RecreateStrategyIT {

    private static final String APP = "recreate-app";
    private static final String OLD_IMAGE = "080196/hello-app:v1";
    private static final String NEW_IMAGE = "080196/hello-app:v2";

    @Test
    void noOldPodExistsWhenTheFirstNewPodAppears(TestCluster cluster) {
        KubernetesClient client = cluster.client();
        client.resource(deployment(OLD_IMAGE))
                .fieldManager("lockstep-test")
                .forceConflicts()
                .serverSideApply();
        awaitRolloutComplete(client, cluster.namespace(), APP);

        PodTimeline timeline = new PodTimeline();
        SharedIndexInformer<Pod> informer = client.pods().inform(timeline);
        try {
            // handlers are notified asynchronously, after inform() has returned
            await("informer delivered the 3 old pods")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> timeline.live(OLD_IMAGE) == 3);

            client.resource(deployment(NEW_IMAGE))
                    .fieldManager("lockstep-test")
                    .forceConflicts()
                    .serverSideApply();
            awaitRolloutComplete(client, cluster.namespace(), APP);

            // the informer may still be delivering the last events
            await("pod events of the switch").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                synchronized (timeline) {
                    assertThat(timeline.oldPodsDeleted)
                            .as("old pods seen going away")
                            .isEqualTo(3);
                    assertThat(timeline.oldPodsLiveWhenNewPodAppeared)
                            .as(
                                    "old pods still present each time a new pod appeared; events:\n%s",
                                    String.join("\n", timeline.log))
                            .hasSize(3)
                            .containsOnly(0);
                }
            });
        } finally {
            informer.close();
        }
    }

    private static Deployment deployment(String image) {
        Map<String, String> labels = Map.of("app", APP);
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(APP)
                .endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .withNewStrategy()
                .withType("Recreate")
                .endStrategy()
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * Replays pod events in the order the API server produced them (one watch stream), tracking which pods exist,
     * so "how many old pods existed when this new pod was created" is read off a consistent history.
     */
    private static final class PodTimeline implements ResourceEventHandler<Pod> {
        private final Map<String, String> liveImageByUid = new HashMap<>();
        private final List<Integer> oldPodsLiveWhenNewPodAppeared = new ArrayList<>();
        private final List<String> log = new ArrayList<>();
        private int oldPodsDeleted;

        @Override
        public synchronized void onAdd(Pod pod) {
            String image = image(pod);
            if (NEW_IMAGE.equals(image)) {
                oldPodsLiveWhenNewPodAppeared.add(live(OLD_IMAGE));
            }
            liveImageByUid.put(pod.getMetadata().getUid(), image);
            log.add("added " + pod.getMetadata().getName() + " " + image + " (old pods live: " + live(OLD_IMAGE) + ")");
        }

        @Override
        public void onUpdate(Pod oldPod, Pod newPod) {
            // existence is all that matters here
        }

        @Override
        public synchronized void onDelete(Pod pod, boolean finalStateUnknown) {
            if (liveImageByUid.remove(pod.getMetadata().getUid()) != null && OLD_IMAGE.equals(image(pod))) {
                oldPodsDeleted++;
            }
            log.add("deleted " + pod.getMetadata().getName() + " " + image(pod));
        }

        synchronized int live(String image) {
            return (int) liveImageByUid.values().stream().filter(image::equals).count();
        }

        private static String image(Pod pod) {
            return pod.getSpec().getContainers().get(0).getImage();
        }
    }
}
