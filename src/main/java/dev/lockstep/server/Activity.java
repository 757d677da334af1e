package dev.lockstep.server;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.rollout.RolloutStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the page shows about an app beyond {@link AppStatus}, as the reconcile listener hears it: the last pass (when,
 * outcome, how long), the commit's author and time, the head the last pass saw, a held prune, a refused commit. Every
 * callback also tells {@code changed} so live views update.
 */
final class Activity implements ReconcileListener {
    /** @param at when it finished */
    record LastPass(Instant at, PassOutcome outcome, Duration took) {}

    /** A commit that was not applied, and why (each error names commit, file and line where it applies). */
    record Refused(Revision commit, List<String> errors) {}

    /**
     * One app's activity.
     *
     * @param commit     the last commit this process applied (or re-applied after a restart), with author and time
     * @param head       the branch head as the last pass that reached git saw it
     * @param heldPrune  why the prune of the last applied commit was refused, if it was
     * @param generation counts changes to the app's revision history (commits applied, rollouts ended)
     */
    record AppActivity(
            Optional<LastPass> lastPass,
            Optional<Revision> commit,
            Optional<Revision> head,
            Optional<String> heldPrune,
            Optional<Refused> refused,
            long generation) {
        static final AppActivity NONE = new AppActivity(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0);
    }

    private final Clock clock;
    private final Runnable changed;
    private final Map<String, AppActivity> apps = new ConcurrentHashMap<>();
    /** A prune refused during the pass that is being reported; it becomes the held prune once its commit is applied. */
    private final Map<String, String> pendingRefusals = new ConcurrentHashMap<>();

    Activity(Clock clock, Runnable changed) {
        this.clock = clock;
        this.changed = changed;
    }

    AppActivity of(String app) {
        return apps.getOrDefault(app, AppActivity.NONE);
    }

    @Override
    public void passFinished(String app, PassOutcome outcome, Duration took) {
        update(
                app,
                a -> new AppActivity(
                        Optional.of(new LastPass(clock.instant(), outcome, took)),
                        a.commit(),
                        a.head(),
                        a.heldPrune(),
                        a.refused(),
                        a.generation()));
    }

    @Override
    public void pruneRefused(String app, String reason) {
        pendingRefusals.put(app, reason);
    }

    @Override
    public void commitApplied(String app, Revision commit) {
        Optional<String> held = Optional.ofNullable(pendingRefusals.remove(app));
        update(
                app,
                a -> new AppActivity(
                        a.lastPass(),
                        Optional.of(commit),
                        Optional.of(commit),
                        held,
                        Optional.empty(),
                        a.generation() + 1));
    }

    @Override
    public void rejected(String app, Revision commit, List<String> errors) {
        pendingRefusals.remove(app);
        update(
                app,
                a -> new AppActivity(
                        a.lastPass(),
                        a.commit(),
                        Optional.of(commit),
                        a.heldPrune(),
                        Optional.of(new Refused(commit, errors)),
                        a.generation()));
    }

    @Override
    public void rolloutFinished(String app, ResourceKey deployment, RolloutStatus status, Revision commit) {
        update(
                app,
                a -> new AppActivity(
                        a.lastPass(), a.commit(), a.head(), a.heldPrune(), a.refused(), a.generation() + 1));
    }

    @Override
    public void rolledBack(
            String app, ResourceKey deployment, long toRevision, long newRevision, Revision commit, boolean reused) {
        changed.run();
    }

    @Override
    public void gitError(String app, String message) {
        changed.run();
    }

    @Override
    public void drift(String app, ResourceKey key, String field, boolean corrected) {
        changed.run();
    }

    @Override
    public void statusChanged(String app, AppStatus status) {
        changed.run();
    }

    private void update(String app, java.util.function.UnaryOperator<AppActivity> change) {
        apps.compute(app, (k, a) -> change.apply(a == null ? AppActivity.NONE : a));
        changed.run();
    }
}
