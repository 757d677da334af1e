package dev.lockstep.writeback;

import dev.lockstep.cluster.WriteFence;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.WriteBack;
import java.time.Clock;
import java.util.Optional;

/**
 * Turns a manual rollback ({@code kubectl rollout undo}) into a commit, so git says what the cluster now runs instead of
 * Lockstep undoing the emergency fix. Decided once per rollback seen at a branch head (kept in the app's record).
 * Only the leader pushes: with its {@link WriteFence} closed it throws a retryable
 * {@link dev.lockstep.cluster.ClusterException} before the push, and whichever replica leads sees the same drift.
 */
public final class ManualRollbackRecorder {
    private final String app;
    private final GitSource git;
    private final RollbackCommits commits;
    private final WriteFence fence;
    private final Clock clock;

    public ManualRollbackRecorder(String app, GitSource git, RollbackCommits commits, WriteFence fence, Clock clock) {
        this.app = app;
        this.git = git;
        this.commits = commits;
        this.fence = fence;
        this.clock = clock;
    }

    /** @param history the revision history entry to record when a commit was pushed */
    public record Recorded(Decision decision, Optional<HistoryEntry> history) {}

    /** Empty when this rollback was already decided about at this head. */
    public Optional<Recorded> record(
            AppRecord record, String head, ResourceKey deployment, ManualRollbacks.ManualRollback m)
            throws GitSourceException {
        String target = m.commit() + "@" + head;
        if (record.decided(WriteBack.RECORD_MANUAL_ROLLBACK, target).isPresent()) {
            return Optional.empty();
        }
        git.fetch(head);
        String why = "rolled back by hand to " + m.target() + " (kubectl rollout undo)";
        RollbackCommit commit = commits.build(head, m.commit(), deployment, why, WriteBack.RECORD_MANUAL_ROLLBACK, app);
        String name = deployment.namespace() + "/" + deployment.name();
        if (commit instanceof RollbackCommit.Ready ready) {
            fence.check("push of the commit recording the manual rollback of " + name);
            GitSource.PushOutcome pushed = git.push(ready.commit());
            if (pushed instanceof GitSource.PushOutcome.Pushed) {
                String summary =
                        name + " was " + why + ": pushed " + Revision.shortSha(ready.commit()) + " so git says so";
                return Optional.of(new Recorded(
                        new Decision(
                                new WriteBack(
                                        WriteBack.RECORD_MANUAL_ROLLBACK,
                                        target,
                                        ready.commit(),
                                        "pushed",
                                        clock.instant()),
                                summary),
                        Optional.of(history(deployment, m, ready.commit()))));
            }
            return Optional.of(declined(
                    target,
                    name + " was " + why + ", but the push was refused ("
                            + ((GitSource.PushOutcome.Refused) pushed).reason()
                            + "); the live state is left alone, nothing forced"));
        }
        String reason =
                commit instanceof RollbackCommit.Impossible i ? i.why() : ((RollbackCommit.Unneeded) commit).why();
        return Optional.of(declined(target, name + " was " + why + ": " + reason + "; the live state is left alone"));
    }

    private HistoryEntry history(ResourceKey workload, ManualRollbacks.ManualRollback m, String recordedAs) {
        var annotations = m.rollBackTo().annotations();
        return new HistoryEntry(
                workload.kind(),
                HistoryEntry.workloadOf(workload),
                m.rollBackTo().revision(),
                m.rollBackTo().name(),
                m.commit(),
                annotations.getOrDefault(MetadataKeys.COMMIT_SUBJECT, ""),
                annotations.getOrDefault(MetadataKeys.COMMIT_AUTHOR, ""),
                clock.instant(),
                "rolled back by hand to " + m.target() + ", recorded as commit " + Revision.shortSha(recordedAs));
    }

    private Recorded declined(String target, String why) {
        return new Recorded(
                new Decision(new WriteBack(WriteBack.RECORD_MANUAL_ROLLBACK, target, "", why, clock.instant()), why),
                Optional.empty());
    }
}
