package dev.lockstep.testbed;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Builds the status a kubelet would report for a started pod. Pure: time comes in as an argument. */
final class PodStatuses {

    private PodStatuses() {}

    /**
     * Phase Running with every container started; {@code ready} decides the Ready/ContainersReady conditions and
     * {@code containerStatuses[].ready}, which is all the ReplicaSet and Deployment controllers look at.
     */
    static PodStatus running(Pod pod, String hostIp, String podIp, Instant now, boolean ready) {
        String time = timestamp(now);
        String uid = pod.getMetadata().getUid();
        List<ContainerStatus> containers = pod.getSpec().getContainers().stream()
                .map(c -> runningContainer(uid, c, time, ready))
                .toList();
        List<ContainerStatus> inits = pod.getSpec().getInitContainers() == null
                ? List.of()
                : pod.getSpec().getInitContainers().stream()
                        .map(c -> completedInit(uid, c, time))
                        .toList();
        String readyText = ready ? "True" : "False";
        String notReadyReason = ready ? null : "ContainersNotReady";
        return new PodStatusBuilder()
                .withPhase("Running")
                .withHostIP(hostIp)
                .withPodIP(podIp)
                .addNewPodIP()
                .withIp(podIp)
                .endPodIP()
                .withStartTime(time)
                .withQosClass("BestEffort")
                .withConditions(
                        condition("Initialized", "True", null, time),
                        condition("Ready", readyText, notReadyReason, time),
                        condition("ContainersReady", readyText, notReadyReason, time),
                        condition("PodScheduled", "True", null, time))
                .withContainerStatuses(containers)
                .withInitContainerStatuses(inits)
                .build();
    }

    /**
     * A pod whose containers ran to their end, as a kubelet reports a Job's pod: phase Succeeded (every container
     * exited 0) or Failed (exit 1, reason Error). The Job controller counts these phases.
     */
    static PodStatus finished(Pod pod, String hostIp, String podIp, Instant now, boolean succeeded) {
        String time = timestamp(now);
        String uid = pod.getMetadata().getUid();
        int exitCode = succeeded ? 0 : 1;
        String reason = succeeded ? "Completed" : "Error";
        List<ContainerStatus> containers = pod.getSpec().getContainers().stream()
                .map(c -> base(uid, c)
                        .withReady(false)
                        .withStarted(false)
                        .withNewState()
                        .withNewTerminated()
                        .withExitCode(exitCode)
                        .withReason(reason)
                        .withStartedAt(time)
                        .withFinishedAt(time)
                        .endTerminated()
                        .endState()
                        .build())
                .toList();
        return new PodStatusBuilder()
                .withPhase(succeeded ? "Succeeded" : "Failed")
                .withHostIP(hostIp)
                .withPodIP(podIp)
                .withStartTime(time)
                .withQosClass("BestEffort")
                .withConditions(
                        condition("Initialized", "True", null, time),
                        condition("Ready", "False", "PodCompleted", time),
                        condition("ContainersReady", "False", "PodCompleted", time),
                        condition("PodScheduled", "True", null, time))
                .withContainerStatuses(containers)
                .build();
    }

    static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static PodCondition condition(String type, String status, String reason, String time) {
        return new PodConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withLastTransitionTime(time)
                .build();
    }

    private static ContainerStatus runningContainer(String podUid, Container c, String time, boolean ready) {
        return base(podUid, c)
                .withReady(ready)
                .withStarted(true)
                .withNewState()
                .withNewRunning()
                .withStartedAt(time)
                .endRunning()
                .endState()
                .build();
    }

    private static ContainerStatus completedInit(String podUid, Container c, String time) {
        return base(podUid, c)
                .withReady(true)
                .withStarted(false)
                .withNewState()
                .withNewTerminated()
                .withExitCode(0)
                .withReason("Completed")
                .withStartedAt(time)
                .withFinishedAt(time)
                .endTerminated()
                .endState()
                .build();
    }

    private static ContainerStatusBuilder base(String podUid, Container c) {
        return new ContainerStatusBuilder()
                .withName(c.getName())
                .withImage(c.getImage())
                .withImageID("sim://" + c.getImage())
                .withContainerID("sim://" + podUid + "/" + c.getName())
                .withRestartCount(0);
    }
}
