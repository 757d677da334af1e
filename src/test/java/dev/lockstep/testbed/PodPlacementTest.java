package dev.lockstep.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class PodPlacementTest {

    /** The affinity the 1.20 DaemonSet controller puts on each pod (as read from the local control plane). */
    private static Pod daemonPod(String node) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("agent-x")
                .addNewOwnerReference()
                .withKind("DaemonSet")
                .withName("agent")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNewAffinity()
                .withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                .withMatchFields(new NodeSelectorRequirementBuilder()
                        .withKey("metadata.name")
                        .withOperator("In")
                        .withValues(node)
                        .build())
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity()
                .endAffinity()
                .endSpec()
                .build();
    }

    @Test
    void aDaemonSetPodIsPinnedToTheNodeItsAffinityNames() {
        assertThat(PodPlacement.pinnedNode(daemonPod("sim-node-2"))).contains("sim-node-2");
        assertThat(PodPlacement.runsToCompletion(daemonPod("sim-node-2"))).isFalse();
    }

    @Test
    void anOrdinaryPodIsPinnedNowhereAndAJobsPodRunsToCompletion() {
        Pod plain = new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .build();
        assertThat(PodPlacement.pinnedNode(plain)).isEmpty();

        Pod jobPod = new PodBuilder(plain)
                .editMetadata()
                .addNewOwnerReference()
                .withKind("Job")
                .withName("migrate")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .build();
        assertThat(PodPlacement.runsToCompletion(jobPod)).isTrue();
        assertThat(PodPlacement.runsToCompletion(plain))
                .as("a bare pod that restarts")
                .isFalse();
    }

    @Test
    void aBarePodThatNeverRestartsRunsToCompletionAsAHelmHookPodDoes() {
        Pod hook = new PodBuilder()
                .withNewMetadata()
                .withName("seed")
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .endSpec()
                .build();
        assertThat(PodPlacement.runsToCompletion(hook)).isTrue();
    }
}
