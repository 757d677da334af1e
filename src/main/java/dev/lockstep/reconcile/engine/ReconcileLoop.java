package dev.lockstep.reconcile.engine;

import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.reconcile.pass.PassOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each app's passes on its own single thread (passes of one app never overlap; apps never wait for each
 * other): on the app's interval with ±10% jitter, sooner with exponential backoff after a failure, at once on
 * {@link #trigger}. Rollouts are followed every second from the watch cache, which costs no API request.
 */
public final class ReconcileLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReconcileLoop.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration ROLLOUT_TICK = Duration.ofSeconds(1);
    /** How often a pass that is still running says so in the log (a first pass of 10,000 objects takes minutes). */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);

    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final RandomGenerator random;
    private final Predicate<String> mayWrite;
    private final ToLongFunction<String> writeTerm;
    private final Duration progressEvery;
    private final Duration progressAfter;
    private final ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reconcile-progress");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param mayWrite per app: false while this replica may not work on it (not the leader, or, sharded, another
     *     replica's app): its passes are skipped, not queued
     * @param writeTerm per app: the term of this replica's right to write it (a leadership term, or how often it took
     *     the app's Lease), changed before {@code mayWrite} turns true again. The first pass or rollout check of a new
     *     term re-reads the app's record before anything else: another replica may have worked meanwhile, and a pass
     *     queued in the old term must not save the old state over it.
     */
    public ReconcileLoop(
            List<AppReconciler> apps,
            RandomGenerator random,
            Predicate<String> mayWrite,
            ToLongFunction<String> writeTerm) {
        this(apps, random, mayWrite, writeTerm, PROGRESS_EVERY, PROGRESS_EVERY);
    }

    /**
     * @param progressEvery how often running passes are looked at
     * @param progressAfter how old (by the app's clock) a pass must be to say it is still running
     */
    ReconcileLoop(
            List<AppReconciler> apps,
            RandomGenerator random,
            Predicate<String> mayWrite,
            ToLongFunction<String> writeTerm,
            Duration progressEvery,
            Duration progressAfter) {
        this.random = random;
        this.mayWrite = mayWrite;
        this.writeTerm = writeTerm;
        this.progressEvery = progressEvery;
        this.progressAfter = progressAfter;
        apps.forEach(a -> workers.put(a.spec().name(), new Worker(a)));
    }

    public void start() {
        workers.values().forEach(Worker::start);
        progress.scheduleWithFixedDelay(
                this::logProgress, progressEvery.toMillis(), progressEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A pass running longer than one period says what it is doing, so a busy daemon never looks idle. */
    private void logProgress() {
        for (Worker w : workers.values()) {
            try {
                w.app.progress(progressAfter)
                        .ifPresent(p -> log.info("app {}: {}", w.app.spec().name(), p));
            } catch (RuntimeException e) {
                log.debug("app {}: no progress to tell: {}", w.app.spec().name(), e.toString());
            }
        }
    }

    /** Runs a pass of {@code app} now (a webhook, a CLI request). Returns false for an unknown app. */
    public boolean trigger(String app) {
        Worker w = workers.get(app);
        if (w == null) {
            return false;
        }
        w.app.expireHead(); // a push was announced: do not reuse a head another app learned before it
        w.schedule(Duration.ZERO);
        return true;
    }

    /** Is {@code app} one of this loop's apps. */
    public boolean knows(String app) {
        return workers.containsKey(app);
    }

    public void triggerAll() {
        workers.values().forEach(w -> w.app.expireHead());
        workers.values().forEach(w -> w.schedule(Duration.ZERO));
    }

    /**
     * After this replica (re)gained leadership: each app runs a pass at once. Its new write term makes the pass re-read
     * the record and list the caches afresh first (another replica may have worked meanwhile).
     */
    public void resync() {
        workers.values().forEach(Worker::resync);
    }

    /** The same for one app (sharded: this replica has just taken the app's Lease). */
    public void resync(String app) {
        Worker w = workers.get(app);
        if (w != null) {
            w.resync();
        }
    }

    /** {@link AppReconciler#secretValues()} of one app; known and empty for an app this loop does not run. */
    public java.util.Optional<java.util.Set<String>> secretValues(String app) {
        Worker w = workers.get(app);
        return w == null ? java.util.Optional.of(java.util.Set.of()) : w.app.secretValues();
    }

    public List<AppStatus> statuses() {
        return workers.values().stream()
                .map(w -> w.app.status())
                .sorted(java.util.Comparator.comparing(AppStatus::app))
                .toList();
    }

    /** Stops scheduling and waits for in-flight passes (an apply in progress finishes). */
    @Override
    public void close() {
        progress.shutdownNow();
        workers.values().forEach(w -> w.executor.shutdown());
        for (Worker w : workers.values()) {
            try {
                if (!w.executor.awaitTermination(60, TimeUnit.SECONDS)) {
                    w.executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                w.executor.shutdownNow();
            }
        }
    }

    /** A failed pass is tried again after 1 s, 2 s, 4 s, … and never later than the app's next regular pass. */
    static RetryPolicy retryPolicy(Duration interval) {
        return new RetryPolicy(FIRST_RETRY, interval);
    }

    /**
     * The wait before an app's next pass: its interval, or after a pass that backs off the retry's next delay (a pass
     * that does not back off ends the run of failures); ±10% jitter either way.
     */
    Duration nextDelay(Duration interval, PassOutcome outcome, RetryState retry) {
        Duration base = interval;
        if (outcome.backsOff()) {
            base = retry.failed();
        } else {
            retry.reset();
        }
        double jitter = 0.9 + random.nextDouble() * 0.2;
        return Duration.ofMillis(Math.max(1, (long) (base.toMillis() * jitter)));
    }

    private final class Worker {
        private final AppReconciler app;
        private final ScheduledExecutorService executor;
        private ScheduledFuture<?> next;
        private final RetryState retry;
        /** The write term this worker last re-read the record in; touched on the app's thread only. */
        private long termSeen;

        Worker(AppReconciler app) {
            this.app = app;
            this.retry = retryPolicy(app.spec().interval()).start();
            ScheduledThreadPoolExecutor single = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "reconcile-" + app.spec().name());
                t.setDaemon(true);
                return t;
            });
            // On shutdown, drop the next scheduled pass (it may be an interval away) but finish the running one.
            single.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            single.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
            this.executor = single;
        }

        void start() {
            schedule(Duration.ZERO);
            executor.scheduleWithFixedDelay(
                    this::followRollouts, ROLLOUT_TICK.toMillis(), ROLLOUT_TICK.toMillis(), TimeUnit.MILLISECONDS);
        }

        void resync() {
            schedule(Duration.ZERO);
        }

        synchronized void schedule(Duration delay) {
            if (executor.isShutdown()) {
                return;
            }
            if (next != null && !next.isDone()) {
                if (next.getDelay(TimeUnit.MILLISECONDS) <= delay.toMillis()) {
                    return;
                }
                next.cancel(false);
            }
            next = executor.schedule(this::run, delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void run() {
            synchronized (this) {
                next = null; // this pass is running: a trigger from now on must schedule another one
            }
            PassOutcome outcome;
            try {
                // the record's re-read in a new write term is inside the try too: it throws like a pass can
                outcome = mayWriteNow() ? app.reconcile() : PassOutcome.UNCHANGED;
            } catch (RuntimeException | Error e) {
                // A listener's bug, or an Error such as OutOfMemoryError (the steps catch only exceptions). Thrown
                // out of this task it would vanish into the executor, and this app would never have another pass:
                // a daemon that looks idle, logs nothing and never shows a commit.
                log.error(
                        "app {}: pass failed (retrying with backoff)",
                        app.spec().name(),
                        e);
                outcome = PassOutcome.ERROR;
            }
            schedule(nextDelay(app.spec().interval(), outcome, retry));
        }

        /** May this replica write the app now; in a new write term, only after re-reading its record. */
        private boolean mayWriteNow() {
            String name = app.spec().name();
            if (!mayWrite.test(name)) {
                return false;
            }
            long term = writeTerm.applyAsLong(name); // read after mayWrite: a term changes before writes open
            if (term != termSeen) {
                app.reloadRecord();
                termSeen = term;
            }
            return true;
        }

        private void followRollouts() {
            try {
                if (mayWriteNow()) {
                    if (app.refreshRollouts()) {
                        schedule(Duration.ZERO); // a failed rollout to decide about: do not wait for the interval
                    }
                }
            } catch (RuntimeException | Error e) {
                // Thrown out of a periodic task, it would end the rollout ticks for good, silently.
                log.warn("app {}: following rollouts failed: {}", app.spec().name(), e.toString());
            }
        }
    }
}
