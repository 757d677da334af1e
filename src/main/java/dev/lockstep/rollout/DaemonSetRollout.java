package dev.lockstep.rollout;

import dev.lockstep.util.Tree;
import java.util.Map;

/**
 * Reads a DaemonSet's status the way {@code kubectl rollout status} does: once the controller has observed the latest
 * generation, every node that should run a pod ({@code desiredNumberScheduled}) must run an updated one
 * ({@code updatedNumberScheduled}) that is available ({@code numberAvailable}). {@code OnDelete} is reported, not
 * waited on.
 */
public final class DaemonSetRollout {
    private DaemonSetRollout() {}

    public static RolloutStatus evaluate(Map<String, Object> ds) {
        String name = Tree.string(ds, "metadata", "name").orElse("?");
        long generation = Tree.number(ds, "metadata", "generation").orElse(0L);
        long observed = Tree.number(ds, "status", "observedGeneration").orElse(0L);
        long desired = Tree.number(ds, "status", "desiredNumberScheduled").orElse(0L);
        long updated = Tree.number(ds, "status", "updatedNumberScheduled").orElse(0L);
        long available = Tree.number(ds, "status", "numberAvailable").orElse(0L);
        String strategy = Tree.string(ds, "spec", "updateStrategy", "type").orElse("RollingUpdate");
        if (!strategy.equals("RollingUpdate")) {
            return new RolloutStatus(
                    RolloutState.HEALTHY,
                    "daemon set \"" + name + "\" uses the " + strategy + " strategy: " + updated + " of " + desired
                            + " pods updated (pods change when deleted; not waited on)",
                    0);
        }
        if (observed < generation) {
            return progressing("Waiting for daemon set spec update to be observed...");
        }
        if (updated < desired) {
            return progressing("Waiting for daemon set \"" + name + "\" rollout to finish: " + updated + " out of "
                    + desired + " new pods have been updated...");
        }
        if (available < desired) {
            return progressing("Waiting for daemon set \"" + name + "\" rollout to finish: " + available + " of "
                    + desired + " updated pods are available...");
        }
        return new RolloutStatus(RolloutState.HEALTHY, "daemon set \"" + name + "\" successfully rolled out", 0);
    }

    private static RolloutStatus progressing(String message) {
        return new RolloutStatus(RolloutState.PROGRESSING, message, 0);
    }
}
