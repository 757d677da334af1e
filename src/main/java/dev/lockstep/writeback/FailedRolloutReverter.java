package dev.lockstep.writeback;

import dev.lockstep.cluster.WriteFence;
import dev.lockstep.git.CommitWriter;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.Revision;
import dev.lockstep.model.WriteBack;
import dev.lockstep.model.WriteBackTrailers;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether to revert a commit whose rollout failed, and if so writes and pushes the revert. Decides from git and
 * the app's record, never from memory, so a restarted or replaced daemon decides the same:
 *
 * <ul>
 *   <li>one revert per commit, ever: a commit already decided about (in the record) is left alone;
 *   <li>never a revert of Lockstep's own revert: when that rollout fails too, it is reported and Lockstep stops;
 *   <li>nothing when the branch head moved on: the newer commit supersedes the failed one;
 *   <li>nothing when the revert does not apply cleanly;
 *   <li>never forced: a refused push is followed by a fetch and the decision again, then a report;
 *   <li>only by the leader: a replica whose {@link WriteFence} is closed pushes nothing and throws a retryable
 *       {@link dev.lockstep.cluster.ClusterException}; the decision is left to whichever replica leads.
 * </ul>
 */
public final class FailedRolloutReverter {
    private final String app;
    private final GitSource git;
    private final CommitWriter writer;
    private final WriteFence fence;
    private final Clock clock;

    public FailedRolloutReverter(String app, GitSource git, CommitWriter writer, WriteFence fence, Clock clock) {
        this.app = app;
        this.git = git;
        this.writer = writer;
        this.fence = fence;
        this.clock = clock;
    }

    /** Empty when this commit was already decided about (the record says so): nothing new to record or report. */
    public Optional<Decision> decide(AppRecord record, FailedRollout failed) throws GitSourceException {
        Revision c = failed.commit();
        if (record.decided(WriteBack.REVERT_FAILED_ROLLOUT, c.commit()).isPresent()) {
            return Optional.empty();
        }
        if (WriteBackTrailers.action(c).isPresent()) {
            return Optional.of(declined(
                    c,
                    "commit " + c.shortSha() + " is Lockstep's own ("
                            + WriteBackTrailers.action(c).get()
                            + "): a revert is never reverted; reported only, a person decides"));
        }
        return Optional.of(revert(failed, 1));
    }

    private Decision revert(FailedRollout failed, int triesLeft) throws GitSourceException {
        Revision c = failed.commit();
        String head = git.remoteHead();
        if (!head.equals(c.commit())) {
            return declined(
                    c,
                    "the branch head moved to " + Revision.shortSha(head) + ": that newer commit supersedes "
                            + c.shortSha() + "; no revert");
        }
        git.fetch(head);
        Optional<String> revert =
                writer.revert(head, List.of(c.commit()), WriteBackMessages.revertOfFailedRollout(failed, app));
        if (revert.isEmpty()) {
            return declined(c, "the revert of " + c.shortSha() + " does not apply cleanly; nothing pushed");
        }
        fence.check("push of the revert of " + c.shortSha());
        GitSource.PushOutcome pushed = git.push(revert.get());
        if (pushed instanceof GitSource.PushOutcome.Pushed) {
            return new Decision(
                    new WriteBack(WriteBack.REVERT_FAILED_ROLLOUT, c.commit(), revert.get(), "pushed", clock.instant()),
                    "pushed " + Revision.shortSha(revert.get()) + " Revert \"" + c.subject() + "\" (" + failed.reason()
                            + ")");
        }
        String refusal = ((GitSource.PushOutcome.Refused) pushed).reason();
        if (triesLeft > 0) {
            return revert(failed, triesLeft - 1); // fetch and decide again: the head may have moved meanwhile
        }
        return declined(
                c, "the push of the revert of " + c.shortSha() + " was refused (" + refusal + "); nothing forced");
    }

    private Decision declined(Revision c, String why) {
        return new Decision(new WriteBack(WriteBack.REVERT_FAILED_ROLLOUT, c.commit(), "", why, clock.instant()), why);
    }
}
