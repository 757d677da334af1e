package dev.lockstep.model;

import java.time.Instant;

/**
 * One Deployment revision made by Lockstep, as stored in the app's record in the cluster.
 *
 * @param result "rolled out", "failed", "progressing", "rolled back to N" or "superseded"
 */
public record HistoryEntry(
        String deployment,
        long revision,
        String replicaSet,
        String commit,
        String subject,
        String author,
        Instant appliedAt,
        String result) {}
