package dev.lockstep.daemon;

import dev.lockstep.cluster.ClusterPort;
import dev.lockstep.cluster.KubeCluster;
import dev.lockstep.cluster.KubeEventPoster;
import dev.lockstep.cluster.ShardLeases;
import dev.lockstep.cluster.WriteFence;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.metrics.LeadershipMeters;
import dev.lockstep.metrics.MetricsListener;
import dev.lockstep.metrics.NotificationMeters;
import dev.lockstep.metrics.ShardMeters;
import dev.lockstep.notify.Notifier;
import dev.lockstep.reconcile.engine.Engine;
import dev.lockstep.reconcile.engine.ReconcileLoop;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.reconcile.report.EventReporter;
import dev.lockstep.reconcile.report.LoggingListener;
import dev.lockstep.reconcile.report.NotificationListener;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.server.Endpoints;
import dev.lockstep.server.Readiness;
import dev.lockstep.server.StatusPage;
import dev.lockstep.server.StatusServer;
import dev.lockstep.server.UiToken;
import dev.lockstep.server.WebhookSecret;
import dev.lockstep.server.WebhookTrigger;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running daemon: engine and loop behind an optional leader election (or, with {@code sharding: true},
 * {@link Sharding}: every replica works on its share of the apps), metrics, Kubernetes Events and the HTTP endpoints. Shutdown order matters: stop scheduling and let an in-flight apply finish, then release
 * the Lease so a standby takes over at once, then stop serving.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final Engine engine;
    private final Notifier notifier;
    private final NotificationListener notifications;
    private final ReconcileLoop loop;
    private final Optional<LeaderElection> election;
    private final Optional<Sharding> sharding;
    /** Not sharded only: sharded, there is no leader, and {@link ShardMeters} say what each replica works on. */
    private final Optional<LeadershipMeters> leadershipMeters;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final KubeEventPoster events;
    private final StatusPage page;
    private final StatusServer server;
    private final AtomicBoolean started = new AtomicBoolean();
    private final ExecutorService electionThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "leader-election");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param identity this replica's name in the Lease (the pod name in a cluster); empty disables leader election
     * @param extra    more listeners (the CLI's console, tests)
     */
    public Daemon(
            LockstepConfig config,
            KubernetesClient client,
            Clock clock,
            Optional<String> identity,
            LeaderElection.Timing timing,
            List<ReconcileListener> extra) {
        this.events = new KubeEventPoster(client, clock);
        this.notifier = NotifierAssembly.of(config.notifications(), new NotificationMeters(registry));
        this.notifications = new NotificationListener(notifier, clock);
        List<ReconcileListener> listeners = reporting(config, extra);
        this.sharding = sharding(config, client, clock, identity, timing);
        ClusterPort cluster = clusterPorts(config, client);
        this.page = statusPage(config, cluster, clock);
        listeners.add(page.listener());
        this.engine = engine(config, cluster, listeners, clock);
        this.leadershipMeters = writeRightMeters(config);
        this.election = election(config, client, clock, identity, timing);
        this.loop = new ReconcileLoop(engine.apps(), RandomGenerator.getDefault(), this::mayWrite, this::writeTerm);
        this.server = server(config, webhookTrigger(config));
    }

    /** Metrics, Kubernetes Events and logs of every pass, after the caller's own listeners. */
    private List<ReconcileListener> reporting(LockstepConfig config, List<ReconcileListener> extra) {
        List<ReconcileListener> listeners = new ArrayList<>(extra);
        listeners.add(new MetricsListener(registry));
        listeners.add(new EventReporter(events, config.stateNamespace()));
        listeners.add(new LoggingListener());
        listeners.add(notifications);
        return listeners;
    }

    /** With {@code sharding: true}, every replica works on the apps whose Lease it holds. */
    private Optional<Sharding> sharding(
            LockstepConfig config,
            KubernetesClient client,
            Clock clock,
            Optional<String> identity,
            LeaderElection.Timing timing) {
        if (!config.sharding()) {
            return Optional.empty();
        }
        return Optional.of(new Sharding(
                new ShardLeases(client, config.stateNamespace(), clock),
                identity.orElseThrow(() -> new IllegalArgumentException(
                        "sharding: true needs this replica's identity (--identity or POD_NAME)")),
                appNames(config),
                timing,
                clock,
                this::onTaken,
                this::onPassRequested));
    }

    /**
     * Sharded, every replica works and each app's writes are fenced on that app's own Lease (see {@link #engine});
     * otherwise every write of a pass is fenced on leadership: a pass that loses it half way stops before its next
     * write.
     */
    private ClusterPort clusterPorts(LockstepConfig config, KubernetesClient client) {
        ClusterPort connected = KubeCluster.connectSendingOnce(client, config.stateNamespace());
        return sharding.isPresent() ? connected : connected.fencedBy(WriteFence.of(this::leading));
    }

    /** The page reads the cluster ports and the loop's statuses, and hears every pass and every watched change. */
    private StatusPage statusPage(LockstepConfig config, ClusterPort cluster, Clock clock) {
        StatusPage made = new StatusPage(
                new StatusPage.Sources(
                        this::statuses,
                        cluster.live(),
                        cluster.replicaSets(),
                        cluster.records(),
                        cluster.controllerRevisions(),
                        app -> loop.secretValues(app)),
                config.uiTokenFile().map(Daemon::readUiToken),
                clock);
        cluster.live().onChange(made::objectChanged);
        return made;
    }

    private Engine engine(LockstepConfig config, ClusterPort cluster, List<ReconcileListener> listeners, Clock clock) {
        return new Engine(
                config,
                cluster,
                ReconcileListener.all(listeners),
                clock,
                sharding.<Engine.AppPorts>map(
                                shards -> (app, port) -> port.fencedBy(WriteFence.of(() -> shards.mayWrite(app))))
                        .orElse(Engine.AppPorts.SHARED),
                notifications);
    }

    /** Sharded: which apps this replica owns; otherwise whether it leads (returned, for the election to report). */
    private Optional<LeadershipMeters> writeRightMeters(LockstepConfig config) {
        sharding.ifPresent(
                shards -> ShardMeters.register(registry, appNames(config), shards::mayWrite, shards::liveReplicas));
        return sharding.isPresent() ? Optional.empty() : Optional.of(new LeadershipMeters(registry, this::leading));
    }

    /** Not sharded, with an identity: one leader at a time, on the "lockstep-leader" Lease. */
    private Optional<LeaderElection> election(
            LockstepConfig config,
            KubernetesClient client,
            Clock clock,
            Optional<String> identity,
            LeaderElection.Timing timing) {
        return identity.filter(id -> sharding.isEmpty())
                .map(id -> new LeaderElection(
                        client,
                        config.stateNamespace(),
                        "lockstep-leader",
                        id,
                        timing,
                        clock,
                        new LeaderElection.Listener() {
                            @Override
                            public void started() {
                                onLeading();
                            }

                            @Override
                            public void lost() {
                                // Nothing else to undo: writes are fenced from now on, and the next term re-reads the
                                // records.
                                leadershipMeters.ifPresent(LeadershipMeters::lost);
                            }
                        },
                        electionThread));
    }

    /** A push to an app's branch asks for a pass of that app; a webhook without a branch, of every app. */
    private WebhookTrigger webhookTrigger(LockstepConfig config) {
        Map<String, String> branches = new LinkedHashMap<>();
        config.apps().forEach(a -> branches.put(a.name(), a.repo().branch()));
        return WebhookTrigger.of(
                this::passWanted,
                () -> {
                    List<String> all =
                            loop.statuses().stream().map(AppStatus::app).toList();
                    if (sharding.isEmpty()) {
                        loop.triggerAll();
                    } else {
                        all.forEach(this::passWanted);
                    }
                    return all;
                },
                branches);
    }

    private StatusServer server(LockstepConfig config, WebhookTrigger trigger) {
        Optional<WebhookSecret> secret = config.webhookSecretFile().map(Daemon::readWebhookSecret);
        try {
            return new StatusServer(
                    new InetSocketAddress(config.httpPort()),
                    new Endpoints(
                                    registry::scrape,
                                    Readiness.of(started::get, "starting"),
                                    loop::statuses,
                                    trigger,
                                    secret)
                            .withPage(page)
                            .withLiveness(Readiness.of(this::electorRunning, "the leader election has stopped"))
                            .withOwners(app -> sharding.flatMap(shards -> shards.owner(app))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + config.httpPort() + ": " + e.getMessage(), e);
        }
    }

    private static List<String> appNames(LockstepConfig config) {
        return config.apps().stream().map(AppSpec::name).toList();
    }

    private static WebhookSecret readWebhookSecret(Path path) {
        try {
            return WebhookSecret.read(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read http.webhookSecretFile " + path + ": " + e.getMessage(), e);
        }
    }

    /** For the page, which is made before the loop it reads. */
    private List<AppStatus> statuses() {
        return loop.statuses();
    }

    private static UiToken readUiToken(Path path) {
        try {
            return UiToken.read(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read http.uiTokenFile " + path + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("http.uiTokenFile " + path + ": " + e.getMessage(), e);
        }
    }

    public Daemon start() {
        loop.start();
        election.ifPresent(LeaderElection::start);
        sharding.ifPresent(Sharding::start);
        started.set(true);
        log.info(
                "serving the status page at / and /metrics /healthz /readyz /status /webhook on port {}",
                server.port());
        return this;
    }

    /** Another replica may have led meanwhile: every app re-reads its record if it changed, then runs a pass. */
    private void onLeading() {
        loop.resync();
    }

    /** Sharded: this replica has just taken {@code app}'s Lease; the app re-reads its record, then runs a pass. */
    private void onTaken(String app) {
        if (loop != null) {
            loop.resync(app);
        }
    }

    /** Sharded: another replica asked, through {@code app}'s Lease, for a pass of it (a webhook reached it). */
    private void onPassRequested(String app) {
        if (loop != null) {
            loop.trigger(app);
        }
    }

    /**
     * A webhook wants a pass of {@code app} now: run here when this replica may write it, else (sharded) ask its owner
     * through the app's Lease. False for an unknown app.
     */
    private boolean passWanted(String app) {
        if (sharding.isEmpty() || sharding.get().mayWrite(app)) {
            return loop.trigger(app);
        }
        if (!loop.knows(app)) {
            return false;
        }
        sharding.get().askOwnerForPass(app);
        return true;
    }

    /** May this replica work on {@code app} now: sharded, while it holds the app's Lease; otherwise while it leads. */
    private boolean mayWrite(String app) {
        return sharding.map(shards -> shards.mayWrite(app)).orElseGet(this::leading);
    }

    /** The term of this replica's right to write {@code app}: a leadership term, or sharded, the app's Lease takes. */
    private long writeTerm(String app) {
        return sharding.map(shards -> shards.takes(app))
                .orElseGet(() -> election.map(LeaderElection::term).orElse(0L));
    }

    /** Live unless leader election is on and its elector has stopped: then only a restart helps. */
    private boolean electorRunning() {
        return election.map(LeaderElection::electorRunning).orElse(true);
    }

    public ReconcileLoop loop() {
        return loop;
    }

    public int httpPort() {
        return server.port();
    }

    public boolean leading() {
        return election.map(LeaderElection::isLeader).orElse(true);
    }

    @Override
    public void close() {
        log.info("shutting down: finishing in-flight passes");
        started.set(false);
        loop.close();
        election.ifPresent(LeaderElection::close);
        sharding.ifPresent(Sharding::close); // releases the apps held, so the other replicas take them at once
        electionThread.shutdownNow();
        engine.close();
        notifier.close();
        events.close();
        page.close();
        server.close();
        log.info("stopped");
    }
}
