package dev.lockstep.rollout;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.util.Tree;
import java.util.Map;
import java.util.Optional;

/**
 * What Lockstep judges for any kind it applies: the workloads' rollouts, a PersistentVolumeClaim's {@code Bound} phase,
 * a {@code LoadBalancer} Service's ingress. Every other kind is applied and treated as ready: empty.
 */
public final class ObjectReadiness {
    private ObjectReadiness() {}

    /** True for the kinds whose pod template makes revisions Lockstep follows and aligns with git. */
    public static boolean followsRollout(ResourceKey key) {
        return key.group().equals("apps")
                        && (key.kind().equals("Deployment")
                                || key.kind().equals("StatefulSet")
                                || key.kind().equals("DaemonSet"))
                || isJob(key);
    }

    /** StatefulSets and DaemonSets: their revisions are ControllerRevisions. */
    public static boolean hasControllerRevisions(ResourceKey key) {
        return key.group().equals("apps")
                && (key.kind().equals("StatefulSet") || key.kind().equals("DaemonSet"));
    }

    /** True for the kinds {@link #of} may judge (a Service only when it is a LoadBalancer). */
    public static boolean mayJudge(ResourceKey key) {
        return followsRollout(key)
                || key.group().isEmpty()
                        && (key.kind().equals("PersistentVolumeClaim")
                                || key.kind().equals("Service"));
    }

    /** The apiVersion Lockstep reads these kinds in: apps/v1, batch/v1, v1. */
    public static String apiVersionOf(ResourceKey key) {
        return key.group().isEmpty() ? "v1" : key.group() + "/v1";
    }

    public static boolean isDeployment(ResourceKey key) {
        return key.group().equals("apps") && key.kind().equals("Deployment");
    }

    public static boolean isJob(ResourceKey key) {
        return key.group().equals("batch") && key.kind().equals("Job");
    }

    /** The object's state, or empty when its kind is not judged. */
    public static Optional<RolloutStatus> of(ResourceKey key, Map<String, Object> object) {
        if (key.group().equals("apps")) {
            return switch (key.kind()) {
                case "Deployment" -> Optional.of(DeploymentRollout.evaluate(object));
                case "StatefulSet" -> Optional.of(StatefulSetRollout.evaluate(object));
                case "DaemonSet" -> Optional.of(DaemonSetRollout.evaluate(object));
                default -> Optional.empty();
            };
        }
        if (isJob(key)) {
            return Optional.of(JobRollout.evaluate(object));
        }
        if (key.group().isEmpty() && key.kind().equals("PersistentVolumeClaim")) {
            return Optional.of(claim(key.name(), object));
        }
        if (key.group().isEmpty()
                && key.kind().equals("Service")
                && "LoadBalancer".equals(Tree.string(object, "spec", "type").orElse(""))) {
            return Optional.of(loadBalancer(key.name(), object));
        }
        return Optional.empty();
    }

    private static RolloutStatus claim(String name, Map<String, Object> pvc) {
        String phase = Tree.string(pvc, "status", "phase").orElse("Pending");
        return switch (phase) {
            case "Bound" ->
                new RolloutStatus(RolloutState.HEALTHY, "persistentvolumeclaim \"" + name + "\" is Bound", 0);
            case "Lost" ->
                new RolloutStatus(
                        RolloutState.FAILED,
                        "persistentvolumeclaim \"" + name + "\" is Lost: its volume no longer exists",
                        0);
            default ->
                new RolloutStatus(
                        RolloutState.PROGRESSING,
                        "Waiting for persistentvolumeclaim \"" + name + "\" to be bound (phase " + phase + ")...",
                        0);
        };
    }

    private static RolloutStatus loadBalancer(String name, Map<String, Object> service) {
        var ingress = Tree.maps(service, "status", "loadBalancer", "ingress");
        if (ingress.isEmpty()) {
            return new RolloutStatus(
                    RolloutState.PROGRESSING,
                    "Waiting for service \"" + name + "\" to get a load balancer ingress...",
                    0);
        }
        Map<String, Object> first = ingress.get(0);
        String address = String.valueOf(first.getOrDefault("ip", first.getOrDefault("hostname", "?")));
        return new RolloutStatus(
                RolloutState.HEALTHY, "service \"" + name + "\" has a load balancer ingress (" + address + ")", 0);
    }
}
