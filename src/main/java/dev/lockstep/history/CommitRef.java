package dev.lockstep.history;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.Revision;
import java.util.Map;
import java.util.Optional;

/**
 * The commit behind a revision, as the annotations Lockstep put on the workload say (the controller copies them onto
 * the ReplicaSet or ControllerRevision it makes).
 *
 * @param author "Ada Lovelace <ada@example.com>", or "" when not annotated
 * @param renderedBy the render engine and version ({@code kustomize v5.5.0}), or "" for plain files
 */
public record CommitRef(String sha, String subject, String author, String renderedBy) {
    public CommitRef(String sha, String subject, String author) {
        this(sha, subject, author, "");
    }

    /** Empty for a revision Lockstep did not make (no commit annotation). */
    public static Optional<CommitRef> of(Map<String, String> annotations) {
        String sha = annotations.getOrDefault(MetadataKeys.COMMIT, "");
        return sha.isEmpty()
                ? Optional.empty()
                : Optional.of(new CommitRef(
                        sha,
                        annotations.getOrDefault(MetadataKeys.COMMIT_SUBJECT, ""),
                        annotations.getOrDefault(MetadataKeys.COMMIT_AUTHOR, ""),
                        annotations.getOrDefault(MetadataKeys.RENDERED_BY, "")));
    }

    public String shortSha() {
        return Revision.shortSha(sha);
    }

    /** The author without the e-mail address. */
    public String authorName() {
        return stripEmail(author);
    }

    /** "Ada Lovelace <ada@example.com>" → "Ada Lovelace". */
    public static String stripEmail(String author) {
        int lt = author.indexOf(" <");
        return lt > 0 ? author.substring(0, lt) : author;
    }
}
