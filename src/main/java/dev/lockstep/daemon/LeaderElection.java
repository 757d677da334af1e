package dev.lockstep.daemon;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a {@code coordination.k8s.io} Lease so that of several Lockstep replicas exactly one writes.
 *
 * <p><b>Losing the Lease re-enters the election.</b> fabric8's {@link LeaderElector} stops for good once it has lost
 * the Lease (it keeps a "stopped" flag), so each term gets a new elector: a replica that lost the Lease through an API
 * server outage becomes a standby again, and leads again once it wins the Lease back. Nothing is lost by staying in the
 * process: every app's state lives in the cluster and is re-read when leadership comes back.
 *
 * <p><b>Writes are fenced on the last renewal, not only on fabric8's callbacks.</b> A renew attempt that hangs on a
 * dead link is not interrupted by fabric8, and its renew deadline is checked only between attempts, so its "stopped
 * leading" callback can come long after another replica took over. {@link #isLeader()} is therefore true only while
 * the Lease was renewed less than the renew deadline ago (which is shorter than the Lease duration another replica
 * waits). The elector also uses its own client view without request retries and with a request timeout below the renew
 * deadline, so one attempt never outlasts the deadline.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    /** What the daemon does when leadership comes and goes; both run on the election thread. */
    public interface Listener {
        /** This replica leads now, and its Lease is freshly renewed: writes are allowed. */
        void started();

        /** This replica had led and does not any more; a new term of the election has been started. */
        void lost();
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String leaseName;
    private final String identity;
    private final Timing timing;
    private final Clock clock;
    private final Listener listener;
    private final Executor executor;
    private final AtomicInteger term = new AtomicInteger();
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicBoolean announced = new AtomicBoolean();
    private final AtomicLong losses = new AtomicLong();
    private volatile Instant renewedAt = Instant.EPOCH;
    private volatile CompletableFuture<?> running;
    private volatile boolean closed;

    public LeaderElection(
            KubernetesClient client,
            String namespace,
            String leaseName,
            String identity,
            Timing timing,
            Clock clock,
            Listener listener,
            Executor executor) {
        this.client = electorClient(client, timing);
        this.namespace = namespace;
        this.leaseName = leaseName;
        this.identity = identity;
        this.timing = timing;
        this.clock = clock;
        this.listener = listener;
        this.executor = executor;
    }

    /**
     * The same connection without fabric8's request retries (ten, with backoff, about 19 s in all by default) and with a
     * request timeout of half the renew deadline: a renew attempt fails fast, so the deadline is seen in time.
     */
    private static KubernetesClient electorClient(KubernetesClient client, Timing timing) {
        int timeout = (int) Math.max(500, timing.renewDeadline().toMillis() / 2);
        return client.newClient(
                        new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                                .withRequestRetryBackoffLimit(0)
                                .withRequestTimeout(timeout)
                                .build())
                .adapt(KubernetesClient.class);
    }

    public void start() {
        enter(0);
    }

    /** Starts term {@code after + 1}, unless closed or another term was started meanwhile. */
    private synchronized void enter(int after) {
        if (closed || !term.compareAndSet(after, after + 1)) {
            return;
        }
        int current = after + 1;
        CompletableFuture<?> previous = running;
        announced.set(false);
        LeaderElector elector = new LeaderElector(client, config(current), executor);
        CompletableFuture<?> next = elector.start();
        running = next;
        if (previous != null) {
            previous.cancel(true);
        }
        // The elector's future ends when it gives up (or, on some failures, never: the callback below covers that).
        next.whenComplete((ignored, error) -> reenterLater(current));
        if (current > 1) {
            log.info("{} re-entered the leader election (term {})", identity, current);
        }
    }

    private void reenterLater(int ended) {
        if (!closed && term.get() == ended) {
            executor.execute(() -> enter(ended));
        }
    }

    private io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig config(int current) {
        return new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new RenewTracking(new LeaseLock(namespace, leaseName, identity)))
                .withLeaseDuration(timing.leaseDuration())
                .withRenewDeadline(timing.renewDeadline())
                .withRetryPeriod(timing.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> started(current), () -> stopped(current), leader -> log.info("leader is {}", leader)))
                .build();
    }

    private void started(int inTerm) {
        if (term.get() != inTerm) {
            return;
        }
        leading.set(true);
        log.info("{} is now the leader (Lease {}/{})", identity, namespace, leaseName);
        announceIfRenewed();
    }

    private void stopped(int inTerm) {
        if (term.get() != inTerm) {
            return;
        }
        if (leading.getAndSet(false)) {
            losses.incrementAndGet();
            log.warn(
                    "{} stopped leading (Lease {}/{} not renewed within {}); writes stop, re-entering the election",
                    identity,
                    namespace,
                    leaseName,
                    timing.renewDeadline());
            listener.lost();
        }
        reenterLater(inTerm);
    }

    /** fabric8 calls "started" when it sees its name on the Lease, before renewing it: wait for the renewal. */
    private void announceIfRenewed() {
        if (isLeader() && announced.compareAndSet(false, true)) {
            listener.started();
        }
    }

    /** True while this replica holds the Lease and renewed it less than the renew deadline ago. */
    public boolean isLeader() {
        return leading.get() && clock.instant().isBefore(renewedAt.plus(timing.renewDeadline()));
    }

    /** False once the elector has stopped for good (closed, or a term ended without a new one starting). */
    public boolean electorRunning() {
        CompletableFuture<?> f = running;
        return !closed && f != null && !f.isDone();
    }

    /** The election's term; it changes before this replica may write again after it stopped leading. */
    public long term() {
        return term.get();
    }

    /** How many times this replica lost the leadership it had. */
    public long losses() {
        return losses.get();
    }

    public String identity() {
        return identity;
    }

    @Override
    public synchronized void close() {
        closed = true;
        leading.set(false);
        if (running != null) {
            running.cancel(true); // releases the Lease (releaseOnCancel) so a standby takes over at once
        }
    }

    /** The Lease lock, noting every successful write of a record that names this replica: a renewal. */
    private final class RenewTracking implements Lock {
        private final Lock lock;

        RenewTracking(Lock lock) {
            this.lock = lock;
        }

        @Override
        public LeaderElectionRecord get(KubernetesClient c) {
            return lock.get(c);
        }

        @Override
        public void create(KubernetesClient c, LeaderElectionRecord record) {
            Instant before = clock.instant();
            lock.create(c, record);
            renewed(record, before);
        }

        @Override
        public void update(KubernetesClient c, LeaderElectionRecord record) {
            Instant before = clock.instant();
            lock.update(c, record);
            renewed(record, before);
        }

        /** Counts from when the request was sent: the server may have stored it any time after. */
        private void renewed(LeaderElectionRecord record, Instant sentAt) {
            if (Objects.equals(record.getHolderIdentity(), identity)) {
                renewedAt = sentAt;
                announceIfRenewed();
            }
        }

        @Override
        public String identity() {
            return lock.identity();
        }

        @Override
        public String describe() {
            return lock.describe();
        }
    }

    /** Lease timings; Kubernetes' own controllers use 15s / 10s / 2s. */
    public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        public static Timing standard() {
            return new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
        }
    }
}
