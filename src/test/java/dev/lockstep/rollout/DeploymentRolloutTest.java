package dev.lockstep.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentRolloutTest {
    private static Map<String, Object> deployment(long generation, Map<String, Object> status) {
        return Map.of(
                "metadata",
                Map.of(
                        "name",
                        "hello-app",
                        "generation",
                        generation,
                        "annotations",
                        Map.of("deployment.kubernetes.io/revision", "2")),
                "spec",
                Map.of("replicas", 3),
                "status",
                status);
    }

    @Test
    void unobservedGenerationIsProgressing() {
        RolloutStatus s = DeploymentRollout.evaluate(deployment(2, Map.of("observedGeneration", 1)));
        assertThat(s.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(s.message()).isEqualTo("Waiting for deployment spec update to be observed...");
    }

    @Test
    void reportsLikeKubectl() {
        assertThat(DeploymentRollout.evaluate(deployment(
                                1,
                                Map.of(
                                        "observedGeneration",
                                        1,
                                        "updatedReplicas",
                                        1,
                                        "replicas",
                                        4,
                                        "availableReplicas",
                                        3)))
                        .message())
                .isEqualTo(
                        "Waiting for deployment \"hello-app\" rollout to finish: 1 out of 3 new replicas have been updated...");
        assertThat(DeploymentRollout.evaluate(deployment(
                                1,
                                Map.of(
                                        "observedGeneration",
                                        1,
                                        "updatedReplicas",
                                        3,
                                        "replicas",
                                        4,
                                        "availableReplicas",
                                        3)))
                        .message())
                .endsWith("1 old replicas are pending termination...");
        assertThat(DeploymentRollout.evaluate(deployment(
                                1,
                                Map.of(
                                        "observedGeneration",
                                        1,
                                        "updatedReplicas",
                                        3,
                                        "replicas",
                                        3,
                                        "availableReplicas",
                                        2)))
                        .message())
                .endsWith("2 of 3 updated replicas are available...");
        RolloutStatus done = DeploymentRollout.evaluate(deployment(
                1, Map.of("observedGeneration", 1, "updatedReplicas", 3, "replicas", 3, "availableReplicas", 3)));
        assertThat(done.state()).isEqualTo(RolloutState.HEALTHY);
        assertThat(done.message()).isEqualTo("deployment \"hello-app\" successfully rolled out");
        assertThat(done.revision()).isEqualTo(2);
    }

    @Test
    void progressDeadlineExceededIsFailed() {
        RolloutStatus s = DeploymentRollout.evaluate(deployment(
                1,
                Map.of(
                        "observedGeneration",
                        1,
                        "updatedReplicas",
                        1,
                        "replicas",
                        4,
                        "availableReplicas",
                        3,
                        "conditions",
                        List.of(Map.of(
                                "type", "Progressing", "status", "False", "reason", "ProgressDeadlineExceeded")))));
        assertThat(s.state()).isEqualTo(RolloutState.FAILED);
        assertThat(s.message()).isEqualTo("deployment \"hello-app\" exceeded its progress deadline");
    }
}
