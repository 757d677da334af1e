package dev.lockstep.rollout;

import dev.lockstep.model.FollowedRollout;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.TemplateChange;
import java.time.Instant;
import java.util.Optional;

/**
 * A rollout Lockstep follows (Deployment, StatefulSet, DaemonSet or Job): the commit that changed the pod template and what the change means.
 *
 * @param reverts       the commit named by "This reverts commit X", a label for humans only
 * @param staleDeadline the lastUpdateTime of a ProgressDeadlineExceeded condition that was already on the Deployment
 *                      before the apply: it belongs to the previous rollout and must not fail this one
 */
public record TrackedRollout(
        ResourceKey deployment,
        Revision commit,
        TemplateChange change,
        Instant appliedAt,
        Optional<String> reverts,
        Optional<String> staleDeadline) {

    /** As the app's record keeps it. */
    public FollowedRollout persisted() {
        return new FollowedRollout(deployment, commit, change, appliedAt, reverts, staleDeadline);
    }

    /** A rollout the record says was followed (by this or another replica) before. */
    public static TrackedRollout of(FollowedRollout f) {
        return new TrackedRollout(f.workload(), f.commit(), f.change(), f.appliedAt(), f.reverts(), f.staleDeadline());
    }

    /** This rollout as a history entry with the given outcome. */
    public HistoryEntry entry(long revision, String replicaSet, String result) {
        return new HistoryEntry(
                deployment.kind(),
                HistoryEntry.workloadOf(deployment),
                revision,
                replicaSet,
                commit.commit(),
                commit.subject(),
                commit.author(),
                appliedAt,
                result);
    }
}
