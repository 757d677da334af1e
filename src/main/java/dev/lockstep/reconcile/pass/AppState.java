package dev.lockstep.reconcile.pass;

import dev.lockstep.model.AppRecord;
import dev.lockstep.model.FollowedRollout;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.plan.Expectation;
import dev.lockstep.rollout.TrackedRollout;
import dev.lockstep.writeback.FailedRollout;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything Lockstep knows about one app between passes, as one immutable value replaced once per pass (and when a
 * followed rollout ends). The commit the cluster is at lives in one place: {@code record.commit()}.
 *
 * @param persisted     the record as last read from or written to the cluster; empty until the first pass reads it
 * @param subject       the subject of {@code record.commit()}, "" when unknown (after a restart, before a new commit)
 * @param stalledCommit a commit that cannot be applied as it is; nothing is retried until the head moves
 * @param expectations  what this process applied, per object: the drift check compares against it
 * @param rollouts      the Deployment rollouts being followed (mirrored in {@code record.following()})
 * @param failed        failed rollouts waiting for the next pass to decide whether to revert them
 * @param writeBackNote why Lockstep's last write-back decision pushed nothing, shown in the app's status
 */
public record AppState(
        Optional<AppRecord> persisted,
        AppRecord record,
        String subject,
        Optional<String> stalledCommit,
        Optional<Problem> problem,
        Map<ResourceKey, Expectation> expectations,
        Map<ResourceKey, TrackedRollout> rollouts,
        List<FailedRollout> failed,
        Optional<String> writeBackNote) {

    public AppState {
        expectations = Map.copyOf(expectations);
        rollouts = Map.copyOf(rollouts);
        failed = List.copyOf(failed);
    }

    public static AppState initial() {
        return new AppState(
                Optional.empty(),
                AppRecord.EMPTY,
                "",
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                Map.of(),
                List.of(),
                Optional.empty());
    }

    public boolean loaded() {
        return persisted.isPresent();
    }

    /** True when the record changed since it was last read or saved: it must be saved. */
    public boolean unsaved() {
        return persisted.isPresent() && !persisted.get().equals(record);
    }

    /** True when this process applied {@code head} itself, so it knows what every object should look like. */
    boolean applied(String head) {
        return record.commit().equals(head) && !expectations.isEmpty();
    }

    boolean stalledAt(String head) {
        return stalledCommit.filter(head::equals).isPresent();
    }

    /** The record as the cluster now has it (just read, or just saved). */
    public AppState persisted(AppRecord inCluster) {
        return new AppState(
                Optional.of(inCluster),
                inCluster,
                subject,
                stalledCommit,
                problem,
                expectations,
                rollouts,
                failed,
                writeBackNote);
    }

    public AppState withRecord(AppRecord newRecord) {
        return new AppState(
                persisted, newRecord, subject, stalledCommit, problem, expectations, rollouts, failed, writeBackNote);
    }

    public AppState withProblem(Optional<Problem> newProblem) {
        return new AppState(
                persisted, record, subject, stalledCommit, newProblem, expectations, rollouts, failed, writeBackNote);
    }

    AppState stalled(String commit, Problem why) {
        return new AppState(
                persisted,
                record,
                subject,
                Optional.of(commit),
                Optional.of(why),
                expectations,
                rollouts,
                failed,
                writeBackNote);
    }

    /** The stalled commit may be tried again (its problem stays shown until the next pass settles). */
    public AppState unstalled() {
        return new AppState(
                persisted, record, subject, Optional.empty(), problem, expectations, rollouts, failed, writeBackNote);
    }

    AppState withExpectations(Map<ResourceKey, Expectation> newExpectations) {
        return new AppState(
                persisted, record, subject, stalledCommit, problem, newExpectations, rollouts, failed, writeBackNote);
    }

    /** The record keeps the same rollouts, in key order, so that the next leader follows them on. */
    public AppState withRollouts(Map<ResourceKey, TrackedRollout> newRollouts) {
        List<FollowedRollout> following = new TreeMap<>(newRollouts)
                .values().stream().map(TrackedRollout::persisted).toList();
        return new AppState(
                persisted,
                record.withFollowing(following),
                subject,
                stalledCommit,
                problem,
                expectations,
                newRollouts,
                failed,
                writeBackNote);
    }

    /**
     * The rollouts the record says were followed, unless this process follows its own already. One whose commit already
     * has a history entry for its workload has ended (that entry says how) and is not followed again.
     */
    AppState followingRecorded() {
        if (!rollouts.isEmpty() || record.following().isEmpty()) {
            return this;
        }
        // one pass over the history: thousands of followed rollouts times thousands of entries took seconds
        Set<String> ended = new HashSet<>();
        record.history().forEach(h -> ended.add(h.kind() + " " + h.workload() + " " + h.commit()));
        Map<ResourceKey, TrackedRollout> recorded = new TreeMap<>();
        record.following().stream()
                .filter(f -> !ended.contains(f.workload().kind() + " " + HistoryEntry.workloadOf(f.workload()) + " "
                        + f.commit().commit()))
                .forEach(f -> recorded.put(f.workload(), TrackedRollout.of(f)));
        return withRollouts(recorded);
    }

    public AppState withFailed(List<FailedRollout> newFailed) {
        return new AppState(
                persisted, record, subject, stalledCommit, problem, expectations, rollouts, newFailed, writeBackNote);
    }

    AppState withWriteBackNote(Optional<String> note) {
        return new AppState(persisted, record, subject, stalledCommit, problem, expectations, rollouts, failed, note);
    }

    /** The cluster is now at {@code newRecord.commit()}: nothing stalled, no problem. */
    AppState at(AppRecord newRecord, String newSubject, Map<ResourceKey, Expectation> newExpectations) {
        return new AppState(
                persisted,
                newRecord,
                newSubject,
                Optional.empty(),
                Optional.empty(),
                newExpectations,
                rollouts,
                failed,
                writeBackNote);
    }
}
