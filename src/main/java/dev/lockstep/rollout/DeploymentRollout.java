package dev.lockstep.rollout;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.util.Tree;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Deployment's status the way {@code kubectl rollout status} does: the controller must have observed
 * the latest generation, every replica must be updated and available, old replicas gone, and a
 * {@code ProgressDeadlineExceeded} reason on the Progressing condition means the rollout failed.
 * Works the same for RollingUpdate and Recreate.
 */
public final class DeploymentRollout {
    private DeploymentRollout() {}

    public static RolloutStatus evaluate(Map<String, Object> deployment) {
        String name = Tree.string(deployment, "metadata", "name").orElse("?");
        long revision = Tree.string(deployment, "metadata", "annotations", MetadataKeys.DEPLOYMENT_REVISION)
                .map(DeploymentRollout::parse)
                .orElse(0L);
        long generation = Tree.number(deployment, "metadata", "generation").orElse(0L);
        long observed = Tree.number(deployment, "status", "observedGeneration").orElse(0L);
        if (observed < generation) {
            return new RolloutStatus(
                    RolloutState.PROGRESSING, "Waiting for deployment spec update to be observed...", revision);
        }
        if (deadlineExceededAt(deployment).isPresent()) {
            return new RolloutStatus(
                    RolloutState.FAILED, "deployment \"" + name + "\" exceeded its progress deadline", revision);
        }
        long desired = Tree.number(deployment, "spec", "replicas").orElse(1L);
        long updated = Tree.number(deployment, "status", "updatedReplicas").orElse(0L);
        long replicas = Tree.number(deployment, "status", "replicas").orElse(0L);
        long available = Tree.number(deployment, "status", "availableReplicas").orElse(0L);
        if (updated < desired) {
            return progressing(name, updated + " out of " + desired + " new replicas have been updated...", revision);
        }
        if (replicas > updated) {
            return progressing(name, (replicas - updated) + " old replicas are pending termination...", revision);
        }
        if (available < updated) {
            return progressing(name, available + " of " + updated + " updated replicas are available...", revision);
        }
        return new RolloutStatus(RolloutState.HEALTHY, "deployment \"" + name + "\" successfully rolled out", revision);
    }

    /** The ProgressDeadlineExceeded condition's time on a Deployment, if it has one. */
    public static Optional<String> deadlineExceededAt(Map<String, Object> deployment) {
        for (Map<String, Object> c : Tree.maps(deployment, "status", "conditions")) {
            if ("Progressing".equals(c.get("type")) && "ProgressDeadlineExceeded".equals(c.get("reason"))) {
                return Optional.of(String.valueOf(c.get("lastUpdateTime")));
            }
        }
        return Optional.empty();
    }

    private static RolloutStatus progressing(String name, String detail, long revision) {
        return new RolloutStatus(
                RolloutState.PROGRESSING,
                "Waiting for deployment \"" + name + "\" rollout to finish: " + detail,
                revision);
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
