package dev.lockstep.model;

import java.time.Instant;
import java.util.Optional;

/**
 * A rollout Lockstep follows, as the app's record keeps it: whichever replica leads next (or a restarted daemon) goes on
 * following it and writes its history entry, instead of losing it with the leader's memory.
 *
 * @param workload      the Deployment (or StatefulSet, DaemonSet, Job) rolling out
 * @param commit        the commit whose apply started it
 * @param change        what the change means (a rollback to an existing ReplicaSet, or a new template)
 * @param reverts       the commit named by "This reverts commit X", a label for humans only
 * @param staleDeadline the lastUpdateTime of a ProgressDeadlineExceeded condition from the previous rollout
 */
public record FollowedRollout(
        ResourceKey workload,
        Revision commit,
        TemplateChange change,
        Instant appliedAt,
        Optional<String> reverts,
        Optional<String> staleDeadline) {}
