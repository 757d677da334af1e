package dev.lockstep.daemon;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a {@code coordination.k8s.io} Lease so that of several Lockstep replicas exactly one writes. Losing the
 * lease stops writing at the next pass; closing releases it so a standby takes over without waiting it out.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    private final AtomicBoolean leading = new AtomicBoolean();
    private final LeaderElector elector;
    private final String identity;
    private CompletableFuture<?> running;

    /** @param onStart called (on the elector's thread) when this replica becomes leader */
    public LeaderElection(
            KubernetesClient client,
            String namespace,
            String leaseName,
            String identity,
            Timing timing,
            Runnable onStart,
            Executor executor) {
        this.identity = identity;
        this.elector = new LeaderElector(
                client,
                new LeaderElectionConfigBuilder()
                        .withName(leaseName)
                        .withLock(new LeaseLock(namespace, leaseName, identity))
                        .withLeaseDuration(timing.leaseDuration())
                        .withRenewDeadline(timing.renewDeadline())
                        .withRetryPeriod(timing.retryPeriod())
                        .withReleaseOnCancel(true)
                        .withLeaderCallbacks(new LeaderCallbacks(
                                () -> {
                                    leading.set(true);
                                    log.info("{} is now the leader (Lease {}/{})", identity, namespace, leaseName);
                                    onStart.run();
                                },
                                () -> {
                                    leading.set(false);
                                    log.info("{} stopped leading", identity);
                                },
                                leader -> log.info("leader is {}", leader)))
                        .build(),
                executor);
    }

    public void start() {
        running = elector.start();
    }

    public boolean isLeader() {
        return leading.get();
    }

    public String identity() {
        return identity;
    }

    @Override
    public void close() {
        leading.set(false);
        if (running != null) {
            running.cancel(true);
        }
    }

    /** Lease timings; Kubernetes' own controllers use 15s / 10s / 2s. */
    public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        public static Timing standard() {
            return new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
        }
    }
}
