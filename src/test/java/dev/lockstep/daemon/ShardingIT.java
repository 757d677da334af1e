package dev.lockstep.daemon;

import static dev.lockstep.testing.HelloApp.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.RequestCounter;
import dev.lockstep.testing.TcpProxy;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sharding: true} with three replicas (in-process daemons, each with its own identity and its own link to the
 * API server through a {@link TcpProxy}) and six apps. Each replica's writes are counted at its own client, per app.
 */
@RealCluster
class ShardingIT {
    private static final LeaderElection.Timing FAST =
            new LeaderElection.Timing(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500));
    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final List<String> APPS =
            IntStream.range(0, 6).mapToObj(i -> "shard-" + i).toList();
    private static final List<String> REPLICAS = List.of("replica-a", "replica-b", "replica-c");

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        closeables.add(c);
        return c;
    }

    /** One replica: its own proxy, client (its requests counted) and daemon. */
    private record Replica(String identity, TcpProxy proxy, RequestCounter requests, Daemon daemon) {
        /** The object writes (dry runs excluded) this replica sent for {@code app}'s ConfigMap. */
        long writesTo(String app) {
            return requests.writes().stream()
                    .filter(r -> !r.contains("dryRun=All"))
                    .filter(r -> r.contains("/configmaps/" + app + "-setting"))
                    .count();
        }
    }

    @Test
    void threeReplicasSplitSixAppsWriteEachFromOneReplicaAndTakeOverAKilledOnesApps(TestCluster cluster)
            throws Exception {
        // Given six apps in one repository and three sharded replicas started together
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        APPS.forEach(app -> repo.write(app + "/config.yaml", configMap(app + "-setting", "v1")));
        repo.commit("six apps at v1");
        LockstepConfig config = config(cluster, repo);
        List<Replica> replicas = new ArrayList<>();
        for (String identity : REPLICAS) {
            TcpProxy proxy = closing(cluster.proxyToApiServer());
            RequestCounter requests = new RequestCounter();
            KubernetesClient client = closing(requests.client(cluster.configThrough(proxy)));
            Daemon daemon = closing(new Daemon(
                    config.withCacheDir(tmp.resolve("cache-" + identity)),
                    client,
                    Clock.systemUTC(),
                    Optional.of(identity),
                    FAST,
                    List.of(new RecordingListener())));
            replicas.add(new Replica(identity, proxy, requests, daemon));
        }
        replicas.forEach(r -> r.daemon().start());

        // Then every app is applied
        await("every app at v1").atMost(Duration.ofSeconds(90)).until(() -> all(cluster, "v1"));
        // ... each app is written by one replica only, and the work is split across at least two replicas
        Map<String, Map<String, Long>> writes = writesPerApp(replicas);
        assertThat(writes)
                .allSatisfy((app, byReplica) -> assertThat(byReplica)
                        .as("replicas that wrote " + app + ": " + writes)
                        .hasSize(1));
        Set<String> working =
                writes.values().stream().flatMap(m -> m.keySet().stream()).collect(Collectors.toSet());
        assertThat(working).as("replicas that wrote anything: " + writes).hasSizeGreaterThanOrEqualTo(2);
        // ... and /status of any replica names the owner of each app
        String status = get(replicas.get(0).daemon(), "/status");
        for (String app : APPS) {
            String owner = writes.get(app).keySet().iterator().next();
            assertThat(status).contains("\"app\":\"" + app + "\"");
            assertThat(ownerIn(status, app))
                    .as("owner of " + app + " in " + status)
                    .isEqualTo(owner);
        }

        // When the replica that owns the most apps is killed (its link cut, then its process gone)
        String victim = writes.values().stream()
                .map(m -> m.keySet().iterator().next())
                .collect(Collectors.groupingBy(r -> r, Collectors.counting()))
                .entrySet()
                .stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        Replica killed = replicas.stream()
                .filter(r -> r.identity().equals(victim))
                .findFirst()
                .orElseThrow();
        killed.proxy().cut();
        long killedAt = System.nanoTime();
        Thread stopper = new Thread(() -> killed.daemon().close(), "kill-" + victim);
        stopper.setDaemon(true);
        stopper.start();
        List<Replica> survivors = replicas.stream().filter(r -> r != killed).toList();
        survivors.forEach(r -> r.requests().reset());

        // ... and a new commit reaches every app
        APPS.forEach(app -> repo.write(app + "/config.yaml", configMap(app + "-setting", "v2")));
        repo.commit("six apps at v2");

        // Then every app is applied by the survivors, within one Lease duration plus one interval (plus slack for a
        // loaded machine), and still each app by one replica only
        await("every app at v2").atMost(Duration.ofSeconds(60)).until(() -> all(cluster, "v2"));
        Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf(
                "sharding: writes per app %s; %s killed; every app at v2 %d ms later%n",
                writes, victim, took.toMillis());
        assertThat(took)
                .as("takeover time")
                .isLessThan(FAST.leaseDuration()
                        .plus(INTERVAL)
                        .plus(FAST.retryPeriod())
                        .plusSeconds(10));
        Map<String, Map<String, Long>> after = writesPerApp(survivors);
        assertThat(after)
                .allSatisfy((app, byReplica) -> assertThat(byReplica)
                        .as("replicas that wrote " + app + " after the kill: " + after)
                        .hasSize(1));
        assertThat(after.values().stream().flatMap(m -> m.keySet().stream())).doesNotContain(victim);
    }

    private static LockstepConfig config(TestCluster cluster, GitRepoFixture repo) {
        List<AppSpec> apps = APPS.stream()
                .map(app -> new AppSpec(
                        app,
                        new RepoSpec(repo.url(), "main"),
                        app,
                        cluster.namespace(),
                        INTERVAL,
                        true,
                        true,
                        Set.of(),
                        Set.of(),
                        0.5,
                        false))
                .toList();
        return new LockstepConfig(
                apps, Path.of("unused"), cluster.namespace(), 0, Optional.empty(), 4, Optional.empty(), true);
    }

    private static boolean all(TestCluster cluster, String value) {
        return APPS.stream().allMatch(app -> {
            ConfigMap cm =
                    cluster.client().configMaps().withName(app + "-setting").get();
            return cm != null && value.equals(cm.getData().get("value"));
        });
    }

    /** app → (replica → object writes), only replicas that wrote. */
    private static Map<String, Map<String, Long>> writesPerApp(List<Replica> replicas) {
        Map<String, Map<String, Long>> result = new TreeMap<>();
        for (String app : APPS) {
            Map<String, Long> byReplica = new LinkedHashMap<>();
            for (Replica r : replicas) {
                long n = r.writesTo(app);
                if (n > 0) {
                    byReplica.put(r.identity(), n);
                }
            }
            result.put(app, byReplica);
        }
        return result;
    }

    private String get(Daemon d, String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.httpPort() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The "owner" field of {@code app}'s entry in /status. */
    private static String ownerIn(String json, String app) {
        int at = json.indexOf("\"app\":\"" + app + "\"");
        int next = json.indexOf("\"app\":\"", at + 1);
        String entry = next < 0 ? json.substring(at) : json.substring(at, next);
        var m = java.util.regex.Pattern.compile("\"owner\":\"([^\"]*)\"").matcher(entry);
        return m.find() ? m.group(1) : "";
    }
}
