package dev.lockstep.history;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.rollout.RolloutStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What ran when in one workload, from which commit, and how it ended; {@code now} is its rollout at this moment. */
public sealed interface WorkloadHistory {
    ResourceKey workload();

    RolloutStatus now();

    /**
     * A Deployment's, StatefulSet's or DaemonSet's revisions, oldest first; {@code now.revision()} is the one it is
     * at.
     */
    record Timeline(ResourceKey workload, RolloutStatus now, List<HistoryRevision> revisions)
            implements WorkloadHistory {
        public Timeline {
            revisions = List.copyOf(revisions);
        }

        /** What holds each revision: ReplicaSet for a Deployment, ControllerRevision for the others. */
        public String revisionKind() {
            return ObjectReadiness.isDeployment(workload) ? "ReplicaSet" : "ControllerRevision";
        }

        public List<HistoryRevision> newestFirst() {
            List<HistoryRevision> out = new ArrayList<>(revisions);
            out.sort(Comparator.comparingLong(HistoryRevision::revision).reversed());
            return out;
        }

        public Optional<HistoryRevision> at(long revision) {
            return revisions.stream().filter(r -> r.revision() == revision).findFirst();
        }

        /**
         * False while the list does not show the revision the workload is at yet (a list answered from a cache that
         * lags a moment behind the workload).
         */
        public boolean showsCurrent() {
            return at(now.revision()).isPresent();
        }

        /** {@code revision}'s pod template against the current one's; empty when either is not listed. */
        public Optional<RevisionDiff> diff(long revision) {
            long current = now.revision();
            Optional<HistoryRevision> past = at(revision);
            Optional<HistoryRevision> latest = at(current);
            if (past.isEmpty() || latest.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new RevisionDiff(
                    revision,
                    current,
                    TemplateDiff.unified(
                            "revision " + revision + " (" + past.get().object() + ")",
                            past.get().template(),
                            "revision " + current + " (" + latest.get().object() + ", current)",
                            latest.get().template())));
        }
    }

    /** A Job: its pod template cannot change, so it has no revisions; a new Job is a new object. */
    record NoRevisions(ResourceKey workload, RolloutStatus now) implements WorkloadHistory {}
}
