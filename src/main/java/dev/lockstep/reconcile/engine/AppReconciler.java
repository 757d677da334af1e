package dev.lockstep.reconcile.engine;

import dev.lockstep.cluster.AppRecords;
import dev.lockstep.cluster.ClusterException;
import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.OnFailedRollout;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.pass.AppState;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.pass.PassResult;
import dev.lockstep.reconcile.pass.PassSteps;
import dev.lockstep.reconcile.pass.Preview;
import dev.lockstep.reconcile.pass.Problem;
import dev.lockstep.reconcile.report.NotificationListener;
import dev.lockstep.reconcile.report.PassReport;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.reconcile.report.StatusView;
import dev.lockstep.rollout.RolloutTracker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One app: runs its passes ({@link PassSteps}), follows its rollouts and publishes its status. The app's state is one
 * immutable {@link AppState}, replaced once per pass. Not thread-safe: the loop runs one pass (or rollout refresh) of an
 * app at a time; {@link #status()} may be read from anywhere.
 */
public final class AppReconciler {
    private static final Logger log = LoggerFactory.getLogger(AppReconciler.class);

    private final AppSpec spec;
    private final PassSteps steps;
    private final AppRecords records;
    private final LiveObjects live;
    private final PassReport report;
    private final RolloutCompletion rollouts;
    private final StatusView view;
    private final Clock clock;
    private final ReconcileListener listener;
    private final NotificationListener notifications;
    private final ForbiddenRetry forbidden = new ForbiddenRetry();
    private AppState state = AppState.initial();
    private volatile AppStatus status;
    private volatile Running running;
    /** Set by the watch on any change of a managed object; the status is only recomputed when something moved. */
    private volatile boolean liveChanged = true;

    AppReconciler(AppSpec spec, PassSteps steps, PassSteps.Shared shared, ReconcileListener listener) {
        this(spec, steps, shared, listener, NotificationListener.off());
    }

    /** @param notifications also one of {@code listener}'s: it collects while they are told, then is settled here */
    AppReconciler(
            AppSpec spec,
            PassSteps steps,
            PassSteps.Shared shared,
            ReconcileListener listener,
            NotificationListener notifications) {
        this.spec = spec;
        this.notifications = notifications;
        this.steps = steps;
        this.records = shared.cluster().records();
        this.live = shared.cluster().live();
        this.clock = shared.clock();
        this.listener = listener;
        RolloutTracker tracker = new RolloutTracker(
                shared.cluster().live(),
                shared.cluster().replicaSets(),
                shared.cluster().controllerRevisions(),
                shared.clock());
        this.report = new PassReport(spec.name(), spec.selfHeal(), listener);
        this.rollouts =
                new RolloutCompletion(spec.name(), tracker, listener, spec.onFailedRollout() == OnFailedRollout.REVERT);
        this.view = new StatusView(spec, shared.cluster().live(), tracker);
        this.status = AppStatus.unknown(spec.name());
        shared.cluster().live().onChange(key -> liveChanged = true);
    }

    public AppSpec spec() {
        return spec;
    }

    public AppStatus status() {
        return status;
    }

    /**
     * The values that were encrypted in git at every commit this process has rendered, for outputs built outside a
     * pass (the page's revision diffs) to hide: an older revision's pod template holds the values of its own commit,
     * not the current one's, so a rotated value must stay hidden. Empty (unknown) for an app with {@code decrypt.sops}
     * until this process has decrypted one of its commits; known and empty for an app without.
     */
    public Optional<Set<String>> secretValues() {
        return spec.decrypt().sops() ? secretValues : Optional.of(Set.of());
    }

    /** The next pass asks the remote for the branch head even if another app on the same branch just did. */
    public void expireHead() {
        steps.head().expire();
    }

    /** One pass: its steps, then the record saved if it changed, then one report and the new status. */
    public PassOutcome reconcile() {
        Instant start = clock.instant();
        running = new Running(start, "starting");
        // the fields of the pass in every log line it causes (the JSON log format shows them)
        try (MDC.MDCCloseable app = MDC.putCloseable("app", spec.name());
                MDC.MDCCloseable commit =
                        MDC.putCloseable("commit", state.record().commit())) {
            return reconcile(start);
        } finally {
            running = null;
        }
    }

    /**
     * What the pass now running does and since when, for a progress line while it takes long (10,000 objects on a
     * small heap): empty between passes and while the pass is younger than {@code longerThan}.
     */
    public Optional<String> progress(Duration longerThan) {
        Running now = running;
        if (now == null) {
            return Optional.empty();
        }
        Duration took = Duration.between(now.since(), clock.instant());
        if (took.compareTo(longerThan) < 0) {
            return Optional.empty();
        }
        return Optional.of("pass running for " + took.toSeconds() + " s, now at step " + now.step());
    }

    /** @param step the simple name of the step's class: the steps are named for what they do */
    private record Running(Instant since, String step) {}

    /** Written by the app's pass thread, read by the page. */
    private volatile Optional<Set<String>> secretValues = Optional.empty();

    private PassOutcome reconcile(Instant start) {
        state = forbidden.beforePass(state, start);
        PassResult result = steps.run(state, step -> running = new Running(start, step));
        // kept, not replaced: revisions of earlier commits still show the values they had (issue 22)
        result.secretValues().ifPresent(values -> {
            Set<String> all = new java.util.LinkedHashSet<>(secretValues.orElse(Set.of()));
            all.addAll(values);
            secretValues = Optional.of(Set.copyOf(all));
        });
        state = forbidden.afterPass(result, clock.instant());
        PassOutcome outcome = saveRecord() ? result.outcome() : PassOutcome.RETRY;
        report.publish(result, outcome, Duration.between(start, clock.instant()));
        finishRollouts();
        notifyPeople(result.commit());
        publishStatus();
        return outcome;
    }

    /**
     * Called when this replica leads again after a time without leadership. If the app's record in the cluster is not
     * the one this process last read or wrote, another replica worked meanwhile: forget everything and start from the
     * cluster, as a restarted daemon would. If it cannot be read, the same. Otherwise nothing changes (warm state).
     * Either way the watch caches are listed afresh before the next pass reads them.
     */
    public void reloadRecord() {
        live.relistAll(); // the watches too may have missed what another replica did meanwhile
        if (!state.loaded()) {
            return;
        }
        try {
            AppRecord inCluster = records.load(spec.name()).orElse(AppRecord.EMPTY);
            if (inCluster.equals(state.persisted().orElseThrow())) {
                return;
            }
            log.info(
                    "app {}: its record changed while this replica was not leading; starting from the cluster's",
                    spec.name());
        } catch (ClusterException e) {
            log.warn(
                    "app {}: cannot re-read its record ({}); starting from the cluster's on the next pass",
                    spec.name(),
                    e.getMessage());
        }
        state = AppState.initial();
    }

    /** What a pass would do at the remote head, without writing anything (for {@code lockstep diff}). */
    public Preview preview() {
        return steps.preview(state);
    }

    /**
     * Cheap (cache only, plus one ReplicaSet list per finished rollout): safe to call every second. The status is
     * recomputed only while a rollout is followed or after the watch saw a change, not on every tick.
     *
     * @return true when a pass should run now: a rollout just failed and waits for the decision whether to revert it
     *     (only once: if that pass must retry, the loop's backoff applies)
     */
    public boolean refreshRollouts() {
        try (MDC.MDCCloseable app = MDC.putCloseable("app", spec.name())) {
            return refresh();
        }
    }

    private boolean refresh() {
        boolean following = !state.rollouts().isEmpty();
        int failedBefore = state.failed().size();
        if (finishRollouts() || following || liveChanged) {
            notifyPeople(Optional.empty());
            publishStatus();
        }
        return state.failed().size() > failedBefore;
    }

    private boolean finishRollouts() {
        Optional<AppState> finished = rollouts.poll(state);
        finished.ifPresent(next -> {
            state = next;
            saveRecord();
        });
        return finished.isPresent();
    }

    /**
     * The notifications the pass or the finished rollouts call for, each sent at most once: remembered in the record,
     * which is saved before they are handed to the senders' queues (which never block).
     */
    private void notifyPeople(Optional<Revision> passCommit) {
        NotificationListener.Settled settled = notifications.settle(spec, state, passCommit);
        if (settled.notices().isEmpty()) {
            return;
        }
        state = settled.state();
        saveRecord();
        notifications.send(settled.notices());
    }

    /** Saves the record when it changed since it was read or last saved; false (and the app shows why) when that failed. */
    private boolean saveRecord() {
        if (!state.unsaved()) {
            return true;
        }
        try {
            records.save(spec.name(), state.record());
            state = state.persisted(state.record());
            return true;
        } catch (ClusterException e) {
            log.warn(
                    "app {}: cannot save its record (tried again after the next pass): {}",
                    spec.name(),
                    e.getMessage());
            state = state.withProblem(Optional.of(Problem.error("cluster: " + e.getMessage())));
            return false;
        }
    }

    private void publishStatus() {
        liveChanged = false; // before reading the cache: a change arriving meanwhile marks it again
        AppStatus before = status;
        status = view.of(state, clock.instant());
        if (!status.sameAs(before)) {
            listener.statusChanged(spec.name(), status);
        }
    }
}
