package dev.lockstep.history;

import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Builds a workload's history from the cluster alone: its ReplicaSets or ControllerRevisions (revision,
 * revision-history and the commit annotations the controller copied onto them) and the outcomes recorded in the app's
 * record. So it reads the same after the daemon restarts or moves.
 */
public final class DeploymentHistory {
    private DeploymentHistory() {}

    /**
     * @param workload the Deployment, StatefulSet or DaemonSet: only the recorded entries of that kind and name count
     * @param owned    its ReplicaSets, or its ControllerRevisions as {@link ReplicaSetInfo}s
     * @param current  its rollout status now (for the newest revision's result)
     * @return one revision per ReplicaSet, lowest revision first
     */
    public static List<HistoryRevision> revisions(
            ResourceKey workload, List<ReplicaSetInfo> owned, RolloutStatus current, List<HistoryEntry> recorded) {
        List<ReplicaSetInfo> sorted = new ArrayList<>(owned);
        sorted.sort(Comparator.comparingLong(ReplicaSetInfo::revision));
        List<HistoryRevision> out = new ArrayList<>();
        for (ReplicaSetInfo rs : sorted) {
            out.add(new HistoryRevision(
                    rs.revision(),
                    rs.revisionHistory(),
                    rs.name(),
                    rs.revision() == current.revision(),
                    CommitRef.of(rs.annotations()),
                    appliedAt(rs),
                    withOriginalCommit(result(workload, rs, current, recorded), rs),
                    RollbackOrigin.of(rs.annotations()),
                    Images.of(rs.template()),
                    rs.replicas(),
                    rs.template()));
        }
        return out;
    }

    /** The rows of {@code lockstep history}'s table, lowest revision first. */
    public static List<HistoryRow> rows(
            ResourceKey workload,
            List<ReplicaSetInfo> replicaSets,
            RolloutStatus current,
            List<HistoryEntry> recorded) {
        return revisions(workload, replicaSets, current, recorded).stream()
                .map(HistoryRow::of)
                .toList();
    }

    private static RevisionResult result(
            ResourceKey workload, ReplicaSetInfo rs, RolloutStatus current, List<HistoryEntry> recorded) {
        if (rs.revision() == current.revision() && current.state() != RolloutState.HEALTHY) {
            return current.state() == RolloutState.FAILED
                    ? new RevisionResult(Outcome.FAILED, "failed")
                    : new RevisionResult(Outcome.PROGRESSING, "progressing");
        }
        String commit = rs.annotations().getOrDefault(MetadataKeys.COMMIT, "");
        Optional<HistoryEntry> entry = recorded.stream()
                .filter(h -> h.isOf(workload)
                        && h.revision() == rs.revision()
                        && h.commit().equals(commit))
                .reduce((a, b) -> b);
        if (entry.isPresent()) {
            return RevisionResult.recorded(entry.get().result());
        }
        String rolledBackTo = rs.annotations().get(MetadataKeys.ROLLBACK_REVISION);
        if (rolledBackTo != null) {
            return new RevisionResult(Outcome.ROLLED_BACK, "rolled back to " + rolledBackTo);
        }
        return rs.revision() == current.revision()
                ? new RevisionResult(Outcome.ROLLED_OUT, "rolled out")
                : RevisionResult.UNKNOWN;
    }

    /** "rolled back to 2" reads better with the commit that first made revision 2. */
    private static RevisionResult withOriginalCommit(RevisionResult result, ReplicaSetInfo rs) {
        String original = rs.annotations().getOrDefault(MetadataKeys.ROLLBACK_OF, "");
        return result.outcome() == Outcome.ROLLED_BACK && !original.isEmpty()
                ? new RevisionResult(
                        result.outcome(),
                        result.words()
                                .replaceFirst("^(rolled back to \\d+)", "$1 (" + Revision.shortSha(original) + ")"))
                : result;
    }

    private static Optional<Instant> appliedAt(ReplicaSetInfo rs) {
        String at = rs.annotations().get(MetadataKeys.APPLIED_AT);
        try {
            return at == null ? Optional.empty() : Optional.of(Instant.parse(at));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
