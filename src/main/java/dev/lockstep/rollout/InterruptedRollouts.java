package dev.lockstep.rollout;

import dev.lockstep.cluster.ControllerRevisions;
import dev.lockstep.cluster.ReplicaSetLister;
import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.TemplateChange;
import dev.lockstep.util.Tree;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a StatefulSet or DaemonSet rollout that a previous process followed and never saw end (it stopped or lost
 * leadership mid-rollout), so a new process follows it again with its progress deadline counted from the original apply.
 * Their controllers, unlike the Deployment's, keep no failure condition, so without this a set that never becomes
 * ready would show Progressing for ever after a restart.
 *
 * <p>A rollout is interrupted when the object still carries the commit annotations of the apply that changed its
 * template, is not ready, and the app's record has no entry of that kind, name and commit (an ended rollout always
 * leaves one: rolled out, failed, rolled back or superseded).
 */
public final class InterruptedRollouts {
    private final ControllerRevisions revisions;

    public InterruptedRollouts(ControllerRevisions revisions) {
        this.revisions = revisions;
    }

    /** The rollout to follow again, or empty (not a StatefulSet/DaemonSet, not Lockstep's apply, ready, or ended). */
    public Optional<TrackedRollout> of(ResourceKey key, Map<String, Object> object, List<HistoryEntry> recorded) {
        if (!ObjectReadiness.hasControllerRevisions(key)) {
            return Optional.empty();
        }
        Map<String, Object> annotations = Tree.map(object, "metadata", "annotations");
        String commit = string(annotations, MetadataKeys.COMMIT);
        Optional<Instant> appliedAt = instant(string(annotations, MetadataKeys.APPLIED_AT));
        if (commit.isEmpty() || appliedAt.isEmpty()) {
            return Optional.empty();
        }
        boolean ended =
                recorded.stream().anyMatch(h -> h.isOf(key) && h.commit().equals(commit));
        boolean progressing = ObjectReadiness.of(key, object)
                .map(s -> s.state() == RolloutState.PROGRESSING)
                .orElse(false);
        if (ended || !progressing) {
            return Optional.empty();
        }
        String subject = string(annotations, MetadataKeys.COMMIT_SUBJECT);
        String author = string(annotations, MetadataKeys.COMMIT_AUTHOR);
        int lt = author.indexOf(" <");
        Revision revision = new Revision(
                commit,
                subject,
                subject,
                lt > 0 ? author.substring(0, lt) : author,
                lt > 0 && author.endsWith(">") ? author.substring(lt + 2, author.length() - 1) : "",
                instant(string(annotations, MetadataKeys.COMMIT_TIME)).orElse(Instant.EPOCH));
        return Optional.of(new TrackedRollout(
                key, revision, change(key, object, annotations), appliedAt.get(), Optional.empty(), Optional.empty()));
    }

    /**
     * A rollback when the apply said so (rollback-to-revision): the ControllerRevision it brings back is the one the
     * object is at now, which the controller renumbered when it reused it.
     */
    private TemplateChange change(ResourceKey key, Map<String, Object> object, Map<String, Object> annotations) {
        String to = string(annotations, MetadataKeys.ROLLBACK_REVISION);
        if (!to.matches("\\d{1,18}")) {
            return new TemplateChange(Optional.empty());
        }
        List<ControllerRevisionInfo> owned =
                revisions.ownedBy(key.namespace(), key.kind(), key.name(), ReplicaSetLister.selectorOf(object));
        return new TemplateChange(CurrentRevision.of(object, owned)
                .map(cr -> new TemplateChange.ReusedReplicaSet(
                        cr.name(), Long.parseLong(to), string(annotations, MetadataKeys.ROLLBACK_OF))));
    }

    private static String string(Map<String, Object> annotations, String key) {
        Object value = annotations.get(key);
        return value == null ? "" : value.toString();
    }

    private static Optional<Instant> instant(String text) {
        try {
            return text.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
