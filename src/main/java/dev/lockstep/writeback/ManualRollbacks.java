package dev.lockstep.writeback;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.util.Tree;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recognises what {@code kubectl rollout undo} leaves behind: a live Deployment whose pod template equals an older
 * ReplicaSet's, one that a Lockstep commit made. A template no ReplicaSet had before (a {@code kubectl set image} to
 * something new) is ordinary drift.
 */
public final class ManualRollbacks {
    private ManualRollbacks() {}

    /**
     * @param rollBackTo the ReplicaSet whose template is live again
     * @param toRevision the revision it had before the rollback ({@code kubectl rollout history}'s number)
     * @param commit     the commit that made that template
     */
    public record ManualRollback(ReplicaSetInfo rollBackTo, long toRevision, String commit) {}

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
}
