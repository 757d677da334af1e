package dev.lockstep.writeback;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which revision {@code lockstep rollback} goes back to, found in the cluster's own history like
 * {@code kubectl rollout undo} does: the previous revision by default, or {@code --to-revision N} (a ReplicaSet the
 * controller already reused is found by its earlier number too).
 */
public final class RollbackTarget {
    private RollbackTarget() {}

    /** The chosen ReplicaSet and the commit that made it; or why there is none. */
    public sealed interface Choice {
        record Found(ReplicaSetInfo replicaSet, long revision, String commit) implements Choice {}

        record NotFound(String why) implements Choice {}
    }

    public static Choice choose(List<ReplicaSetInfo> owned, long current, OptionalLong toRevision) {
        Optional<ReplicaSetInfo> target = toRevision.isPresent()
                ? owned.stream()
                        .filter(rs -> rs.revision() == toRevision.getAsLong()
                                || rs.revisionHistory().contains(toRevision.getAsLong()))
                        .findFirst()
                : owned.stream()
                        .filter(rs -> rs.revision() < current)
                        .max(Comparator.comparingLong(ReplicaSetInfo::revision));
        if (target.isEmpty()) {
            return new Choice.NotFound(
                    toRevision.isPresent()
                            ? "revision " + toRevision.getAsLong()
                                    + " not found (its ReplicaSet may have been removed by "
                                    + "revisionHistoryLimit); see lockstep history"
                            : "no revision before " + current + " to go back to");
        }
        ReplicaSetInfo rs = target.get();
        long revision = toRevision.orElse(rs.revision());
        if (rs.revision() == current) {
            return new Choice.NotFound(
                    "revision " + revision + " is the current one (" + rs.name() + "); nothing to do");
        }
        String commit = rs.annotations().getOrDefault(MetadataKeys.COMMIT, "");
        if (commit.isEmpty()) {
            return new Choice.NotFound("revision " + revision + " (" + rs.name()
                    + ") was not made by a Lockstep commit: " + "there is no commit to go back to");
        }
        return new Choice.Found(rs, revision, commit);
    }
}
