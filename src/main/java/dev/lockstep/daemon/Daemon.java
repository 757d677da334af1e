package dev.lockstep.daemon;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.reconcile.Engine;
import dev.lockstep.reconcile.ReconcileListener;
import dev.lockstep.reconcile.ReconcileLoop;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running daemon: the engine and its loop, behind an optional leader election. Shutdown order
 * matters: stop scheduling, let an in-flight apply finish, then release the Lease so a standby takes over at once.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final Engine engine;
    private final ReconcileLoop loop;
    private final Optional<LeaderElection> election;
    private final ExecutorService electionThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "leader-election");
        t.setDaemon(true);
        return t;
    });

    /** @param identity this replica's name in the Lease (the pod name in a cluster); empty disables leader election */
    public Daemon(LockstepConfig config, KubernetesClient client, ReconcileListener listener, Clock clock,
                  Optional<String> identity, LeaderElection.Timing timing) {
        this.engine = new Engine(config, client, listener, clock);
        this.election = identity.map(id -> new LeaderElection(client, config.stateNamespace(), "lockstep-leader", id, timing,
                this::onLeading, electionThread));
        this.loop = new ReconcileLoop(engine.apps(), RandomGenerator.getDefault(),
                () -> election.map(LeaderElection::isLeader).orElse(true));
    }

    public Daemon start() {
        loop.start();
        election.ifPresent(LeaderElection::start);
        return this;
    }

    private void onLeading() {
        loop.triggerAll();
    }

    public ReconcileLoop loop() {
        return loop;
    }

    public boolean leading() {
        return election.map(LeaderElection::isLeader).orElse(true);
    }

    @Override
    public void close() {
        log.info("shutting down: finishing in-flight passes");
        loop.close();
        election.ifPresent(LeaderElection::close);
        electionThread.shutdownNow();
        engine.close();
        log.info("stopped");
    }
}
