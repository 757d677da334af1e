package dev.lockstep.rollout;

import dev.lockstep.util.Tree;
import java.util.Map;

/**
 * Reads a StatefulSet's status the way {@code kubectl rollout status} does: the controller must have observed the
 * latest generation and every replica must be ready; with a {@code partition}, the pods at or above it must be
 * updated; without one, every pod must be at the update revision ({@code currentRevision == updateRevision}).
 * {@code OnDelete} is reported, not waited on: pods only change when someone deletes them.
 */
public final class StatefulSetRollout {
    private StatefulSetRollout() {}

    public static RolloutStatus evaluate(Map<String, Object> sts) {
        String name = Tree.string(sts, "metadata", "name").orElse("?");
        long generation = Tree.number(sts, "metadata", "generation").orElse(0L);
        long observed = Tree.number(sts, "status", "observedGeneration").orElse(0L);
        long desired = Tree.number(sts, "spec", "replicas").orElse(1L);
        long ready = Tree.number(sts, "status", "readyReplicas").orElse(0L);
        long updated = Tree.number(sts, "status", "updatedReplicas").orElse(0L);
        long current = Tree.number(sts, "status", "currentReplicas").orElse(0L);
        String updateRevision = Tree.string(sts, "status", "updateRevision").orElse("");
        String currentRevision = Tree.string(sts, "status", "currentRevision").orElse("");
        String strategy = Tree.string(sts, "spec", "updateStrategy", "type").orElse("RollingUpdate");
        if (!strategy.equals("RollingUpdate")) {
            return healthy("statefulset \"" + name + "\" uses the " + strategy + " strategy: " + updated + " of "
                    + desired + " pods at revision " + updateRevision + " (pods change when deleted; not waited on)");
        }
        if (observed == 0 || observed < generation) {
            return progressing("Waiting for statefulset spec update to be observed...");
        }
        if (ready < desired) {
            return progressing("Waiting for " + (desired - ready) + " pods to be ready...");
        }
        long partition = Tree.number(sts, "spec", "updateStrategy", "rollingUpdate", "partition")
                .orElse(0L);
        if (partition > 0) {
            long wanted = Math.max(0, desired - partition);
            if (updated < wanted) {
                return progressing("Waiting for partitioned roll out to finish: " + updated + " out of " + wanted
                        + " new pods have been updated...");
            }
            return healthy("partitioned roll out complete: " + updated + " new pods have been updated...");
        }
        if (!updateRevision.equals(currentRevision)) {
            return progressing("waiting for statefulset rolling update to complete " + updated + " pods at revision "
                    + updateRevision + "...");
        }
        return healthy(
                "statefulset rolling update complete " + current + " pods at revision " + currentRevision + "...");
    }

    private static RolloutStatus progressing(String message) {
        return new RolloutStatus(RolloutState.PROGRESSING, message, 0);
    }

    private static RolloutStatus healthy(String message) {
        return new RolloutStatus(RolloutState.HEALTHY, message, 0);
    }
}
