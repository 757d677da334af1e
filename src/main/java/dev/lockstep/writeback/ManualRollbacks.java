package dev.lockstep.writeback;

import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.Revision;
import dev.lockstep.util.Tree;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recognises what {@code kubectl rollout undo} leaves behind: a live Deployment whose pod template equals an older
 * ReplicaSet's, one that a Lockstep commit made; or a live StatefulSet or DaemonSet whose template equals a
 * ControllerRevision that a commit other than the object's own made. A template no ReplicaSet or ControllerRevision had
 * before (a {@code kubectl set image} to something new) is ordinary drift.
 */
public final class ManualRollbacks {
    private ManualRollbacks() {}

    /**
     * @param rollBackTo the ReplicaSet (or ControllerRevision) whose template is live again
     * @param toRevision the revision it had before the rollback ({@code kubectl rollout history}'s number); 0 for a
     *                   ControllerRevision, whose number before the controller reused it may already be gone
     * @param commit     the commit that made that template
     */
    public record ManualRollback(ReplicaSetInfo rollBackTo, long toRevision, String commit) {
        /** "revision 2", or "the revision of commit 1c919cd" when the number before the rollback is not known. */
        public String target() {
            return toRevision > 0 ? "revision " + toRevision : "the revision of commit " + Revision.shortSha(commit);
        }
    }

    public static Optional<ManualRollback> find(Map<String, Object> liveDeployment, List<ReplicaSetInfo> owned) {
        Map<String, Object> template = Tree.map(liveDeployment, "spec", "template");
        long newest = owned.stream().mapToLong(ReplicaSetInfo::revision).max().orElse(0);
        for (ReplicaSetInfo rs : owned) {
            String commit = rs.annotations().getOrDefault(MetadataKeys.COMMIT, "");
            boolean older = !rs.revisionHistory().isEmpty() || rs.revision() < newest;
            if (older && !commit.isEmpty() && Tree.sameValue(rs.template(), template)) {
                List<Long> was = rs.revisionHistory();
                return Optional.of(
                        new ManualRollback(rs, was.isEmpty() ? rs.revision() : was.get(was.size() - 1), commit));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code kubectl rollout undo daemonset/x} or {@code statefulset/x}: it patches the object's template with an older
     * ControllerRevision's and leaves the object's annotations alone, so that revision's commit differs from the
     * object's. The controller then reuses the revision, renumbered to the highest plus one; the rollback's revision is
     * that number whether or not the controller has renumbered it yet. Which number it had before is then gone (a
     * ControllerRevision keeps no revision history), so the rollback names the commit instead.
     */
    public static Optional<ManualRollback> findControllerRevision(
            Map<String, Object> liveObject, List<ControllerRevisionInfo> owned) {
        Map<String, Object> template = Tree.map(liveObject, "spec", "template");
        String applied = Tree.string(liveObject, "metadata", "annotations", MetadataKeys.COMMIT)
                .orElse("");
        long newest =
                owned.stream().mapToLong(ControllerRevisionInfo::revision).max().orElse(0);
        for (ControllerRevisionInfo cr : owned) {
            String commit = cr.annotations().getOrDefault(MetadataKeys.COMMIT, "");
            if (!commit.isEmpty() && !commit.equals(applied) && Tree.sameValue(cr.template(), template)) {
                boolean renumbered = cr.revision() == newest;
                ReplicaSetInfo row = cr.asRevisionRow();
                ReplicaSetInfo reused = renumbered
                        ? row
                        : new ReplicaSetInfo(
                                row.name(),
                                row.uid(),
                                newest + 1,
                                row.annotations(),
                                row.template(),
                                row.created(),
                                row.replicas());
                return Optional.of(new ManualRollback(reused, 0, commit));
            }
        }
        return Optional.empty();
    }
}
