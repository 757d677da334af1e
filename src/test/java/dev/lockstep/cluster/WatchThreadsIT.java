package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TcpProxy;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The soak's threads grew with each network fault (issue 25): every watch listed again after a stall, and every probe
 * without an answer, ran on a new fabric8 client, and each closed client kept its JDK HTTP client's selector thread
 * alive (this test, on that code: 7 selector threads after 4 stalls, 3 cuts and a list of all again, 30 s and full
 * GCs later). Here the watch link stalls and is cut again and again, and the cache's client threads are counted.
 *
 * <p>ITs share one JVM, so the count must not see other tests' clients: each client is built on a thread of a group of
 * this test's own, and the JDK starts a client's selector thread ({@code HttpClient-N-SelectorManager}) in the group
 * of the thread that builds it.
 */
@RealCluster
class WatchThreadsIT {
    private static final String SELECTOR = "HttpClient-\\d+-SelectorManager";

    @Test
    void stallsAndCutsOfTheWatchLinkLeaveNoThreadBehind(TestCluster cluster) throws Exception {
        ThreadGroup clients = new ThreadGroup("watch-threads-it");
        cluster.client()
                .configMaps()
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("watched")
                        .addToLabels(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE)
                        .endMetadata()
                        .withData(Map.of("value", "start"))
                        .build())
                .create();
        ResourceKey key = ResourceKey.of("v1", "ConfigMap", cluster.namespace(), "watched");
        try (TcpProxy proxy = cluster.proxyToApiServer();
                KubernetesClient viaProxy = new KubernetesClientBuilder()
                        .withConfig(cluster.configThrough(proxy))
                        .build()) {
            Supplier<KubernetesClient> own = LiveCache.ownConnections(viaProxy);
            LiveCache live = new LiveCache(() -> builtIn(clients, own), Duration.ofSeconds(20), Duration.ofSeconds(1));
            try {
                live.watch("v1", "ConfigMap");
                Thread.sleep(2_500); // warm-up: a probe or two have run
                Map<String, Long> before = byName();
                assertThat(selectors(clients)).as("selector threads at rest").isEqualTo(1);

                for (int i = 0; i < 4; i++) {
                    proxy.stallEstablished();
                    change(cluster, "stalled-" + i);
                    awaitCached(live, key, "stalled-" + i);
                    proxy.restore();
                }
                for (int i = 0; i < 3; i++) {
                    proxy.cut();
                    for (int attempt = 0; attempt < 3; attempt++) {
                        Thread.sleep(300);
                        try {
                            live.ensureWatching();
                        } catch (ClusterException e) {
                            // the link is cut: expected
                        }
                    }
                    proxy.restore();
                    change(cluster, "cut-" + i);
                    awaitCached(live, key, "cut-" + i);
                }
                live.relistAll();
                live.ensureWatching();

                await("one selector thread after the faults")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            System.gc();
                            assertThat(selectors(clients))
                                    .as(
                                            "selector threads of the watch client (its probes' too), by name before:"
                                                    + " %s, now: %s",
                                            before, byName())
                                    .isEqualTo(1);
                        });
            } finally {
                live.close();
            }
        }
    }

    private static void change(TestCluster cluster, String value) {
        cluster.client().configMaps().withName("watched").edit(cm -> {
            cm.setData(Map.of("value", value));
            return cm;
        });
    }

    private static void awaitCached(LiveCache live, ResourceKey key, String value) {
        await("the cache shows " + value)
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    try {
                        live.ensureWatching();
                    } catch (ClusterException e) {
                        return false;
                    }
                    return live.get("v1", key)
                            .map(cm -> dev.lockstep.util.Tree.string(cm, "data", "value")
                                    .orElse(""))
                            .orElse("")
                            .equals(value);
                });
    }

    /** Builds the client on a thread of {@code group}, so its selector thread starts in that group. */
    private static KubernetesClient builtIn(ThreadGroup group, Supplier<KubernetesClient> supplier) {
        AtomicReference<KubernetesClient> made = new AtomicReference<>();
        Thread t = new Thread(group, () -> made.set(supplier.get()), "build-client");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return made.get();
    }

    private static long selectors(ThreadGroup group) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getThreadGroup() == group && t.getName().matches(SELECTOR))
                .count();
    }

    private static Map<String, Long> byName() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(t -> t.getName().replaceAll("\\d+", "N"))
                .collect(Collectors.groupingBy(n -> n, TreeMap::new, Collectors.counting()));
    }
}
