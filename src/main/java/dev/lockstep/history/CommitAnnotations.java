package dev.lockstep.history;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.Revision;
import dev.lockstep.model.TemplateChange;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The annotations that tie a Deployment revision to the commit that made it. They go on the Deployment's
 * own metadata (never the pod template, which would defeat ReplicaSet reuse); the controller copies them
 * onto the ReplicaSet, so {@code kubectl rollout history} shows the commit.
 */
public final class CommitAnnotations {
    /** Keys Lockstep owns on a Deployment; carried forward unchanged when the template does not change. */
    public static final List<String> KEYS = MetadataKeys.COMMIT_KEYS;

    private static final int MAX_SUBJECT = 120;

    private CommitAnnotations() {}

    public static Map<String, String> of(Revision commit, TemplateChange change, Instant appliedAt) {
        return of(commit, change, appliedAt, "");
    }

    /** @param renderedBy the render engine ({@code kustomize v5.5.0}); "" for plain files, which adds no key */
    public static Map<String, String> of(Revision commit, TemplateChange change, Instant appliedAt, String renderedBy) {
        Map<String, String> out = new LinkedHashMap<>();
        String subject = truncate(commit.subject());
        String cause = commit.shortSha() + " " + subject;
        if (change.reuses().isPresent()) {
            var reused = change.reuses().get();
            String original = reused.originalCommit();
            cause += " (rollback to revision " + reused.revision()
                    + (original.isEmpty() ? "" : ", commit " + Revision.shortSha(original)) + ")";
            out.put(MetadataKeys.ROLLBACK_OF, original);
            out.put(MetadataKeys.ROLLBACK_REVISION, Long.toString(reused.revision()));
        }
        out.put(MetadataKeys.CHANGE_CAUSE, cause);
        out.put(MetadataKeys.COMMIT, commit.commit());
        out.put(MetadataKeys.COMMIT_SUBJECT, subject);
        out.put(
                MetadataKeys.COMMIT_AUTHOR,
                commit.authorEmail().isEmpty() ? commit.author() : commit.author() + " <" + commit.authorEmail() + ">");
        out.put(MetadataKeys.COMMIT_TIME, commit.time().toString());
        out.put(
                MetadataKeys.APPLIED_AT,
                appliedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        if (!renderedBy.isEmpty()) {
            out.put(MetadataKeys.RENDERED_BY, renderedBy);
        }
        return out;
    }

    /** The Lockstep annotations currently on a live object, to send again unchanged. */
    public static Map<String, String> carried(Map<String, ?> liveAnnotations) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : KEYS) {
            Object value = liveAnnotations.get(key);
            if (value != null) {
                out.put(key, value.toString());
            }
        }
        return out;
    }

    private static String truncate(String subject) {
        return subject.length() <= MAX_SUBJECT ? subject : subject.substring(0, MAX_SUBJECT - 1) + "…";
    }
}
