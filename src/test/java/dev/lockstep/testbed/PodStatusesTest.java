package dev.lockstep.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PodStatusesTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");

    private static final Pod POD = new PodBuilder()
            .withNewMetadata()
            .withName("p")
            .withUid("uid-1")
            .endMetadata()
            .withNewSpec()
            .addNewInitContainer()
            .withName("init")
            .withImage("busybox:1")
            .endInitContainer()
            .addNewContainer()
            .withName("app")
            .withImage("example/app:v1")
            .endContainer()
            .endSpec()
            .build();

    @Test
    void aReadyPodIsRunningWithEveryConditionTrue() {
        PodStatus status = PodStatuses.running(POD, "127.0.0.1", "10.244.0.7", NOW, true);

        assertThat(status.getPhase()).isEqualTo("Running");
        assertThat(status.getPodIP()).isEqualTo("10.244.0.7");
        assertThat(status.getStartTime()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(conditions(status))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "PodScheduled", "True", "Initialized", "True", "ContainersReady", "True", "Ready", "True"));
        assertThat(status.getContainerStatuses()).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo("app");
            assertThat(c.getReady()).isTrue();
            assertThat(c.getState().getRunning().getStartedAt()).isEqualTo("2026-01-02T03:04:05Z");
        });
        assertThat(status.getInitContainerStatuses())
                .singleElement()
                .satisfies(c ->
                        assertThat(c.getState().getTerminated().getExitCode()).isZero());
    }

    @Test
    void anUnreadyPodRunsButIsNotReady() {
        PodStatus status = PodStatuses.running(POD, "127.0.0.1", "10.244.0.8", NOW, false);

        assertThat(status.getPhase()).isEqualTo("Running");
        assertThat(conditions(status))
                .containsEntry("Ready", "False")
                .containsEntry("ContainersReady", "False")
                .containsEntry("PodScheduled", "True");
        assertThat(status.getContainerStatuses()).singleElement().satisfies(c -> {
            assertThat(c.getReady()).isFalse();
            assertThat(c.getStarted()).isTrue();
        });
    }

    @Test
    void aJobsPodEndsSucceededOrFailedWithItsContainersExitCode() {
        PodStatus done = PodStatuses.finished(POD, "127.0.0.1", "10.244.0.9", NOW, true);
        assertThat(done.getPhase()).isEqualTo("Succeeded");
        assertThat(conditions(done)).containsEntry("Ready", "False");
        assertThat(done.getContainerStatuses()).singleElement().satisfies(c -> {
            assertThat(c.getState().getTerminated().getExitCode()).isZero();
            assertThat(c.getState().getTerminated().getReason()).isEqualTo("Completed");
        });

        PodStatus failed = PodStatuses.finished(POD, "127.0.0.1", "10.244.0.9", NOW, false);
        assertThat(failed.getPhase()).isEqualTo("Failed");
        assertThat(failed.getContainerStatuses()).singleElement().satisfies(c -> {
            assertThat(c.getState().getTerminated().getExitCode()).isEqualTo(1);
            assertThat(c.getState().getTerminated().getReason()).isEqualTo("Error");
        });
    }

    private static Map<String, String> conditions(PodStatus status) {
        return status.getConditions().stream()
                .collect(Collectors.toMap(PodCondition::getType, PodCondition::getStatus));
    }
}
