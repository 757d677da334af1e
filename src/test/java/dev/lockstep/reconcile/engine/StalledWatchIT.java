package dev.lockstep.reconcile.engine;

import static dev.lockstep.testing.HelloApp.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.cluster.ClusterPort;
import dev.lockstep.cluster.KubeCluster;
import dev.lockstep.cluster.LiveCache;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RequestCounter;
import dev.lockstep.testing.TcpProxy;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch whose connection stalls without closing (TCP open, no byte moving) looks alive to the informer. The watches
 * run on their own connection through a {@link TcpProxy}; the writes go straight to the server. The proxy stalls the
 * connections open at that moment and lets new ones through, so only the watch goes dark.
 */
@RealCluster
class StalledWatchIT {
    @TempDir
    Path tmp;

    private static String setting(TestCluster cluster) {
        ConfigMap cm = cluster.client().configMaps().withName("settings").get();
        return cm == null ? "" : cm.getData().get("value");
    }

    private GitRepoFixture settingsRepo() throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/settings.yaml", configMap("settings", "from-git"));
        repo.commit("settings");
        return repo;
    }

    /** The app "hello" on {@code repo}, writing straight through {@code client}, watching through {@code live}. */
    private Engine engine(TestCluster cluster, KubernetesClient client, LiveCache live, GitRepoFixture repo) {
        ClusterPort direct = KubeCluster.connect(client, cluster.namespace());
        ClusterPort port = new ClusterPort(
                direct.objects(),
                live,
                direct.replicaSets(),
                direct.controllerRevisions(),
                direct.records(),
                direct.scopes());
        return new Engine(
                TestApps.config(TestApps.hello(repo, cluster.namespace()), tmp.resolve("cache")),
                port,
                ReconcileListener.NONE,
                Clock.systemUTC());
    }

    @Test
    void driftMadeWhileTheWatchConnectionStallsIsSeenByTheProbeAndHealed(TestCluster cluster) throws Exception {
        GitRepoFixture repo = settingsRepo();
        RequestCounter writes = new RequestCounter();
        RequestCounter watchRequests = new RequestCounter();
        try (TcpProxy proxy = cluster.proxyToApiServer();
                KubernetesClient client = writes.client(cluster.config());
                LogCapture liveLog = new LogCapture(LiveCache.class)) {
            Config throughProxy = cluster.configThrough(proxy);
            LiveCache live = new LiveCache(
                    watchRequests.connections(throughProxy), Duration.ofSeconds(60), Duration.ofSeconds(1));
            try (Engine engine = engine(cluster, client, live, repo)) {
                AppReconciler app = engine.apps().get(0);
                assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
                assertThat(setting(cluster)).isEqualTo("from-git");

                // steady state: a pass with nothing new sends no request (the probes go out on their own connection)
                writes.reset();
                assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);
                assertThat(writes.all())
                        .as("requests of a pass with nothing new")
                        .isEmpty();

                // the watch's connection goes dark; someone edits a field git sets meanwhile
                proxy.stallEstablished();
                cluster.client().configMaps().withName("settings").edit(cm -> {
                    cm.setData(Map.of("value", "edited-by-hand"));
                    return cm;
                });

                await("the drift made during the stall healed")
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            app.reconcile();
                            return setting(cluster).equals("from-git");
                        });
                // found by the probe: the change missed, or (on a busy server) the informer's version no longer kept
                assertThat(liveLog.lines())
                        .anySatisfy(l -> assertThat(l).contains("has stalled (it missed changes): listing again"));
                List<String> heals = writes.writes().stream()
                        .filter(w -> w.contains("/configmaps/settings") && !w.contains("dryRun"))
                        .toList();
                assertThat(heals).as("the ConfigMap written back once").hasSize(1);
            }
        }
    }

    /**
     * A replica that may write again after a time without that right (it stood by, perhaps cut off) lists its caches
     * afresh first: LeadershipIT once saw a regained leader take a change another replica made for drift, because its
     * watch had missed it, and write it again.
     */
    @Test
    void relistAllBringsInWhatAStalledWatchMissedBeforeTheNextPassReadsIt(TestCluster cluster) throws Exception {
        GitRepoFixture repo = settingsRepo();
        try (TcpProxy proxy = cluster.proxyToApiServer();
                KubernetesClient client = cluster.client()) {
            Config throughProxy = cluster.configThrough(proxy);
            // no probe during the test: only relistAll can find what the stalled watch missed
            LiveCache live = new LiveCache(
                    new RequestCounter().connections(throughProxy), Duration.ofSeconds(60), Duration.ofHours(1));
            try (Engine engine = engine(cluster, client, live, repo)) {
                AppReconciler app = engine.apps().get(0);
                assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
                var key = dev.lockstep.model.ResourceKey.of("v1", "ConfigMap", cluster.namespace(), "settings");

                proxy.stallEstablished();
                cluster.client().configMaps().withName("settings").edit(cm -> {
                    cm.setData(Map.of("value", "changed-meanwhile"));
                    return cm;
                });
                await("the stalled watch keeps showing the old value")
                        .during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> cached(live, key).equals("from-git"));

                live.relistAll();
                live.ensureWatching();

                assertThat(cached(live, key)).isEqualTo("changed-meanwhile");
            }
        }
    }

    /**
     * A watch that goes down in an outage is listed again on the same client, each attempt on a new connection: a pass
     * lists it again every second or two while the link is cut, and a client per attempt kept one HTTP selector thread
     * each alive for minutes (the soak's threads grew 50 to 72 in 6 minutes; this test made 6 clients on that code).
     */
    @Test
    void aWatchListedAgainThroughAnOutageMakesNoNewClientPerAttempt(TestCluster cluster) throws Exception {
        GitRepoFixture repo = settingsRepo();
        java.util.concurrent.atomic.AtomicInteger clientsMade = new java.util.concurrent.atomic.AtomicInteger();
        RequestCounter watchRequests = new RequestCounter();
        try (TcpProxy proxy = cluster.proxyToApiServer();
                KubernetesClient client = cluster.client()) {
            Config throughProxy = cluster.configThrough(proxy);
            LiveCache live = new LiveCache(
                    () -> {
                        clientsMade.incrementAndGet();
                        return watchRequests.connections(throughProxy).get();
                    },
                    Duration.ofSeconds(10),
                    Duration.ofHours(1));
            try (Engine engine = engine(cluster, client, live, repo)) {
                AppReconciler app = engine.apps().get(0);
                assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
                assertThat(clientsMade).as("the watch client").hasValue(1);

                proxy.cut();
                int failed = 0;
                for (int attempt = 0; attempt < 5; attempt++) {
                    Thread.sleep(500);
                    try {
                        live.ensureWatching();
                    } catch (dev.lockstep.cluster.ClusterException e) {
                        failed++;
                    }
                }
                assertThat(failed).as("lists again that failed while cut").isGreaterThanOrEqualTo(3);
                proxy.restore();
                cluster.client().configMaps().withName("settings").edit(cm -> {
                    cm.setData(Map.of("value", "changed-during-the-outage"));
                    return cm;
                });
                await("listed again once the link is back")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(() -> {
                            live.ensureWatching();
                            return cached(
                                            live,
                                            dev.lockstep.model.ResourceKey.of(
                                                    "v1", "ConfigMap", cluster.namespace(), "settings"))
                                    .equals("changed-during-the-outage");
                        });
                // one client for the cache's life: each list again had a connection of its own
                assertThat(clientsMade.get())
                        .as("clients made through the outage")
                        .isEqualTo(1);
            }
        }
    }

    private static String cached(LiveCache live, dev.lockstep.model.ResourceKey key) {
        return live.get("v1", key)
                .map(cm -> dev.lockstep.util.Tree.string(cm, "data", "value").orElse(""))
                .orElse("");
    }
}
