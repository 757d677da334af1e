package dev.lockstep.reconcile.report;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.OnManualRollback;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.NotificationEvent;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.WriteBack;
import dev.lockstep.notify.Notice;
import dev.lockstep.notify.Notifier;
import dev.lockstep.reconcile.pass.AppState;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns what passes and rollouts did into notifications ({@link NotificationEvent}): collects them while the listeners
 * are told, then {@link #settle} keeps only those not yet sent for their app, commit and event (the app's record
 * remembers them, across restarts and leaders) and returns them with the record that remembers them. The engine saves
 * that record, then {@link #send}s: a notification is sent at most once.
 *
 * <p>{@code healthy} is not a callback: it is decided in {@code settle}, for the commit the app is at, once that
 * commit's {@code applied} went out, none of its rollouts is still followed and none of them failed.
 */
public final class NotificationListener implements ReconcileListener {
    private final Notifier notifier;
    private final Clock clock;
    private final Map<String, List<Candidate>> pending = new ConcurrentHashMap<>();

    /**
     * @param commit   the commit it is about, when the callback named it (else the pass's commit, else the app's)
     * @param subject  that commit's subject, "" when not known here
     */
    private record Candidate(
            NotificationEvent event,
            Optional<String> commit,
            String subject,
            Optional<ResourceKey> workload,
            long revision,
            String message,
            boolean driftLeftAlone) {
        Candidate(
                NotificationEvent event,
                Optional<String> commit,
                String subject,
                Optional<ResourceKey> workload,
                long revision,
                String message) {
            this(event, commit, subject, workload, revision, message, false);
        }

        static Candidate of(NotificationEvent event, Revision commit, String message) {
            return new Candidate(event, Optional.of(commit.commit()), commit.subject(), Optional.empty(), 0, message);
        }

        static Candidate of(NotificationEvent event, String message) {
            return new Candidate(event, Optional.empty(), "", Optional.empty(), 0, message);
        }
    }

    /** The state whose record remembers the notices, and the notices to send once it is saved. */
    public record Settled(AppState state, List<Notice> notices) {}

    public NotificationListener(Notifier notifier, Clock clock) {
        this.notifier = notifier;
        this.clock = clock;
    }

    /** No destination configured: nothing is collected, and records stay as they were. */
    public static NotificationListener off() {
        return new NotificationListener(Notifier.none(), Clock.systemUTC());
    }

    private void add(String app, Candidate c) {
        if (!notifier.isEmpty()) {
            pending.computeIfAbsent(app, a -> new ArrayList<>()).add(c);
        }
    }

    @Override
    public void commitApplied(String app, Revision commit) {
        add(app, Candidate.of(NotificationEvent.APPLIED, commit, "commit " + describe(commit) + " applied"));
    }

    @Override
    public void rolloutFinished(String app, ResourceKey workload, RolloutStatus status, Revision commit) {
        if (status.state() == RolloutState.FAILED) {
            add(
                    app,
                    new Candidate(
                            NotificationEvent.ROLLOUT_FAILED,
                            Optional.of(commit.commit()),
                            commit.subject(),
                            Optional.of(workload),
                            status.revision(),
                            workload.kind() + " " + workload.namespace() + "/" + workload.name() + " revision "
                                    + status.revision() + " of commit " + describe(commit) + " failed: "
                                    + status.message()));
        }
    }

    @Override
    public void writeBack(String app, WriteBack decision, String summary) {
        if (!decision.wasPushed()) {
            return;
        }
        if (decision.action().equals(WriteBack.REVERT_FAILED_ROLLOUT)) {
            add(
                    app,
                    new Candidate(
                            NotificationEvent.REVERTED,
                            Optional.of(decision.target()),
                            "",
                            Optional.empty(),
                            0,
                            summary));
        } else if (decision.action().equals(WriteBack.RECORD_MANUAL_ROLLBACK)) {
            add(
                    app,
                    new Candidate(
                            NotificationEvent.MANUAL_ROLLBACK,
                            Optional.of(decision.pushed()),
                            "",
                            Optional.empty(),
                            0,
                            summary));
        }
    }

    /**
     * Healed drift; drift left alone is a manual rollback reported only under {@code selfHeal} with
     * {@code onManualRollback: report} (otherwise it is plain drift, or healed, or recorded as a commit): settled
     * against the app's spec.
     */
    @Override
    public void drift(String app, ResourceKey key, String field, boolean corrected) {
        add(
                app,
                new Candidate(
                        corrected ? NotificationEvent.DRIFT_HEALED : NotificationEvent.MANUAL_ROLLBACK,
                        Optional.empty(),
                        "",
                        Optional.of(key),
                        0,
                        corrected
                                ? "field " + field + " of " + key + " differed from git: restored git's version"
                                : "field " + field + " of " + key
                                        + " differs from git: a manual rollback, reported and left alone",
                        !corrected));
    }

    @Override
    public void rejected(String app, Revision commit, List<String> errors) {
        add(app, Candidate.of(NotificationEvent.REFUSED, commit, String.join("; ", errors)));
    }

    @Override
    public void commitRefused(String app, String check, String commit, String reason) {
        add(
                app,
                new Candidate(
                        NotificationEvent.REFUSED,
                        Optional.of(commit),
                        "",
                        Optional.empty(),
                        0,
                        check + " check: " + reason));
    }

    @Override
    public void writeForbidden(String app, Revision commit, List<String> reasons) {
        add(app, Candidate.of(NotificationEvent.REFUSED, commit, String.join("; ", reasons)));
    }

    @Override
    public void ownershipConflict(String app, ResourceKey key, String owner, String reason) {
        add(app, Candidate.of(NotificationEvent.REFUSED, reason));
    }

    @Override
    public void pruneRefused(String app, String reason) {
        add(app, Candidate.of(NotificationEvent.PRUNE_HELD, reason));
    }

    @Override
    public void pruneHeld(String app, String message) {
        add(app, Candidate.of(NotificationEvent.PRUNE_HELD, message));
    }

    /**
     * What to send for the app now, each not sent before, and the state whose record remembers them.
     *
     * @param passCommit the commit the pass fetched, if a pass just ran and got that far
     */
    public Settled settle(AppSpec spec, AppState state, Optional<Revision> passCommit) {
        if (notifier.isEmpty()) {
            return new Settled(state, List.of());
        }
        List<Candidate> candidates = pending.remove(spec.name());
        List<Notice> notices = new ArrayList<>();
        AppRecord record = state.record();
        boolean reportsManualRollbacks = spec.selfHeal() && spec.onManualRollback() == OnManualRollback.REPORT;
        for (Candidate c : candidates == null ? List.<Candidate>of() : candidates) {
            if (!c.driftLeftAlone() || reportsManualRollbacks) {
                record = remember(record, c, spec, state, passCommit, notices);
            }
        }
        // after the candidates: an applied commit without rollouts is healthy in the same pass
        Optional<Candidate> healthy = healthy(record, state);
        if (healthy.isPresent()) {
            record = remember(record, healthy.get(), spec, state, passCommit, notices);
        }
        return new Settled(notices.isEmpty() ? state : state.withRecord(record), notices);
    }

    /** Adds the candidate's notice unless the record says it was sent; returns the record that remembers it. */
    private AppRecord remember(
            AppRecord record,
            Candidate c,
            AppSpec spec,
            AppState state,
            Optional<Revision> passCommit,
            List<Notice> notices) {
        String heldAt = state.record().pruneHold().commit();
        String commit = c.commit()
                .or(() -> c.event() == NotificationEvent.PRUNE_HELD && !heldAt.isEmpty()
                        ? Optional.of(heldAt)
                        : Optional.empty())
                .or(() -> passCommit.map(Revision::commit))
                .orElse(state.record().commit());
        String key = c.event().keyFor(commit);
        if (commit.isEmpty() || record.wasNotified(key)) {
            return record;
        }
        notices.add(new Notice(
                spec.name(),
                c.event(),
                spec.repo().branch(),
                commit,
                subjectOf(c, commit, state, passCommit),
                c.workload(),
                c.revision(),
                c.message(),
                clock.instant()));
        return record.withNotified(key);
    }

    /** Hands the notices to the destinations' queues; returns at once. */
    public void send(List<Notice> notices) {
        notices.forEach(notifier::send);
    }

    /**
     * {@code healthy} for the commit the app is at: once its {@code applied} was sent, when no rollout of it is still
     * followed, none of its rollouts failed and its failure was not notified.
     */
    private static Optional<Candidate> healthy(AppRecord record, AppState state) {
        String commit = record.commit();
        if (commit.isEmpty()
                || !record.wasNotified(NotificationEvent.APPLIED.keyFor(commit))
                || record.wasNotified(NotificationEvent.HEALTHY.keyFor(commit))
                || record.wasNotified(NotificationEvent.ROLLOUT_FAILED.keyFor(commit))) {
            return Optional.empty();
        }
        boolean following = state.rollouts().values().stream()
                .anyMatch(r -> r.commit().commit().equals(commit));
        boolean failed = record.history().stream()
                .anyMatch(h -> h.commit().equals(commit) && h.result().startsWith("failed"));
        boolean stillProgressing = record.history().stream()
                .anyMatch(h -> h.commit().equals(commit) && h.result().equals("progressing"));
        if (following || failed || stillProgressing || !state.failed().isEmpty()) {
            return Optional.empty();
        }
        String shortSha = commit.length() > 7 ? commit.substring(0, 7) : commit;
        return Optional.of(new Candidate(
                NotificationEvent.HEALTHY,
                Optional.of(commit),
                "",
                Optional.empty(),
                0,
                "every rollout of commit " + shortSha + " ended healthy"));
    }

    private static String subjectOf(Candidate c, String commit, AppState state, Optional<Revision> passCommit) {
        if (!c.subject().isEmpty()) {
            return c.subject();
        }
        if (passCommit.isPresent() && passCommit.get().commit().equals(commit)) {
            return passCommit.get().subject();
        }
        return commit.equals(state.record().commit()) ? state.subject() : "";
    }

    private static String describe(Revision commit) {
        return commit.shortSha() + " \"" + commit.subject() + "\"";
    }
}
