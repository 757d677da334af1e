package dev.lockstep.rollout;

import dev.lockstep.model.HistoryEntry;

/**
 * A followed rollout that ended, healthy or failed.
 *
 * @param replicaSet the ReplicaSet that runs the Deployment's template now
 * @param reused     whether the controller reused the ReplicaSet the commit's template brought back (a rollback)
 * @param result     the history's words: "rolled out", "failed", "rolled back to N", ...
 */
public record FinishedRollout(
        TrackedRollout rollout, RolloutStatus status, String replicaSet, boolean reused, String result) {
    public HistoryEntry entry() {
        return rollout.entry(status.revision(), replicaSet, result);
    }
}
