package dev.lockstep.history;

import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds a Deployment's history from the cluster alone: its ReplicaSets (revision, revision-history and the
 * commit annotations the controller copied onto them) and the outcomes recorded in the app's record. So it
 * reads the same after the daemon restarts or moves.
 */
public final class DeploymentHistory {
    private DeploymentHistory() {}

    /**
     * @param workload   the Deployment, StatefulSet or DaemonSet: only the recorded entries of that kind and name count
     * @param current    the Deployment's rollout status now (for the newest revision's RESULT)
     */
    public static List<HistoryRow> rows(
            ResourceKey workload,
            List<ReplicaSetInfo> replicaSets,
            RolloutStatus current,
            List<HistoryEntry> recorded) {
        List<HistoryRow> rows = new ArrayList<>();
        List<ReplicaSetInfo> sorted = new ArrayList<>(replicaSets);
        sorted.sort(Comparator.comparingLong(ReplicaSetInfo::revision));
        for (ReplicaSetInfo rs : sorted) {
            String revision = Long.toString(rs.revision());
            if (!rs.revisionHistory().isEmpty()) {
                revision += " (was "
                        + rs.revisionHistory().stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
            }
            String commit = rs.annotations().getOrDefault(MetadataKeys.COMMIT, "");
            String shortCommit = commit.isEmpty() ? "-" : Revision.shortSha(commit);
            rows.add(new HistoryRow(
                    revision,
                    rs.name(),
                    shortCommit,
                    rs.annotations()
                            .getOrDefault(
                                    MetadataKeys.COMMIT_SUBJECT, commit.isEmpty() ? "(not applied by lockstep)" : ""),
                    stripEmail(rs.annotations().getOrDefault(MetadataKeys.COMMIT_AUTHOR, "-")),
                    rs.annotations().getOrDefault(MetadataKeys.APPLIED_AT, "-"),
                    withOriginalCommit(result(workload, rs, current, recorded), rs)));
        }
        return rows;
    }

    private static String result(
            ResourceKey workload, ReplicaSetInfo rs, RolloutStatus current, List<HistoryEntry> recorded) {
        if (rs.revision() == current.revision() && current.state() != RolloutState.HEALTHY) {
            return current.state() == RolloutState.FAILED ? "failed" : "progressing";
        }
        String commit = rs.annotations().getOrDefault(MetadataKeys.COMMIT, "");
        Optional<HistoryEntry> entry = recorded.stream()
                .filter(h -> h.isOf(workload)
                        && h.revision() == rs.revision()
                        && h.commit().equals(commit))
                .reduce((a, b) -> b);
        if (entry.isPresent()) {
            return entry.get().result();
        }
        String rolledBackTo = rs.annotations().get(MetadataKeys.ROLLBACK_REVISION);
        if (rolledBackTo != null) {
            return "rolled back to " + rolledBackTo;
        }
        return rs.revision() == current.revision() ? "rolled out" : "-";
    }

    /** "rolled back to 2" reads better with the commit that first made revision 2. */
    private static String withOriginalCommit(String result, ReplicaSetInfo rs) {
        String original = rs.annotations().getOrDefault(MetadataKeys.ROLLBACK_OF, "");
        return result.startsWith("rolled back to") && !original.isEmpty()
                ? result.replaceFirst("^(rolled back to \\d+)", "$1 (" + Revision.shortSha(original) + ")")
                : result;
    }

    /**
     * A StatefulSet or DaemonSet still rolling out the commit whose rollout the record says failed is Failed: its
     * controller keeps no failure condition, and Lockstep stopped following it when it failed.
     */
    public static RolloutStatus withRecordedFailure(
            ResourceKey workload, RolloutStatus live, String commit, List<HistoryEntry> recorded) {
        boolean failed = !commit.isEmpty()
                && recorded.stream()
                        .filter(h -> h.isOf(workload) && h.commit().equals(commit))
                        .reduce((a, b) -> b)
                        .filter(h -> h.result().equals("failed"))
                        .isPresent();
        return live.state() == RolloutState.PROGRESSING && failed
                ? new RolloutStatus(RolloutState.FAILED, live.message(), live.revision())
                : live;
    }

    /** "Ada Lovelace <ada@example.com>" → "Ada Lovelace". */
    public static String stripEmail(String author) {
        int lt = author.indexOf(" <");
        return lt > 0 ? author.substring(0, lt) : author;
    }
}
