package dev.lockstep.history;

/** One line of {@code lockstep history}: a ReplicaSet and the commit behind it. */
public record HistoryRow(
        String revision,
        String replicaSet,
        String commit,
        String subject,
        String author,
        String appliedAt,
        String result) {}
