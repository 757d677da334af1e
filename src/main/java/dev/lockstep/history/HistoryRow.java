package dev.lockstep.history;

import java.time.Instant;

/**
 * One line of {@code lockstep history}: a revision's cells, as text.
 *
 * @param renderedBy the render engine of the revision's commit ({@code kustomize v5.5.0}), "" for plain files
 */
public record HistoryRow(
        String revision,
        String replicaSet,
        String commit,
        String subject,
        String author,
        String appliedAt,
        String result,
        String renderedBy) {

    public HistoryRow(
            String revision,
            String replicaSet,
            String commit,
            String subject,
            String author,
            String appliedAt,
            String result) {
        this(revision, replicaSet, commit, subject, author, appliedAt, result, "");
    }

    /** "4 (was 2)", the short sha, "(not applied by lockstep)" for a revision Lockstep did not make, "-" for unknowns. */
    public static HistoryRow of(HistoryRevision r) {
        String revision = Long.toString(r.revision());
        if (!r.was().isEmpty()) {
            revision += " (was "
                    + String.join(",", r.was().stream().map(String::valueOf).toList()) + ")";
        }
        return new HistoryRow(
                revision,
                r.object(),
                r.commit().map(CommitRef::shortSha).orElse("-"),
                r.commit().map(CommitRef::subject).orElse("(not applied by lockstep)"),
                r.commit().map(CommitRef::authorName).filter(a -> !a.isEmpty()).orElse("-"),
                r.appliedAt().map(Instant::toString).orElse("-"),
                r.result().words(),
                r.commit().map(CommitRef::renderedBy).orElse(""));
    }
}
