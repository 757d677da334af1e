package dev.lockstep.daemon;

import static dev.lockstep.testing.HelloApp.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.cluster.ShardLeases;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.server.WebhookSecret;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.RequestCounter;
import dev.lockstep.testing.TcpProxy;
import dev.lockstep.testing.TestCluster;
import dev.lockstep.util.Rendezvous;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        LockstepConfig config = config(cluster, repo, APPS, INTERVAL, Optional.empty());
        List<Replica> replicas = new ArrayList<>();
        for (String identity : REPLICAS) {
            replicas.add(replica(cluster, config, identity, FAST));
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

        // ... and /metrics of each replica: the apps it works on, each app on exactly one replica (the one that wrote
        // it), three live replicas, and no lockstep_leader (there is no leader)
        await("each replica's /metrics naming the apps it wrote")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> {
                    for (Replica r : replicas) {
                        String metrics = get(r.daemon(), "/metrics");
                        List<String> mine = APPS.stream()
                                .filter(app -> writes.get(app).containsKey(r.identity()))
                                .toList();
                        assertThat(metrics)
                                .as(r.identity() + "'s metrics")
                                .contains("lockstep_shard_apps_owned " + mine.size() + ".0")
                                .contains("lockstep_shard_replicas 3.0")
                                .doesNotContain("lockstep_leader");
                        for (String app : APPS) {
                            assertThat(metrics)
                                    .contains("lockstep_shard_owner{app=\"" + app + "\"} "
                                            + (mine.contains(app) ? "1.0" : "0.0"));
                        }
                    }
                });

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

        // Then every app is applied by the survivors, and still each app by one replica only. By design within one
        // Lease duration plus one interval and one retry period; the figure is printed, and the bound allows for a
        // loaded 2-core machine (eight builds sharing it), where a replica's first pass for a taken app (its watch
        // lists, its dry runs) can take many seconds.
        await("every app at v2").atMost(Duration.ofSeconds(90)).until(() -> all(cluster, "v2"));
        Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
        Duration design = FAST.leaseDuration().plus(INTERVAL).plus(FAST.retryPeriod());
        System.out.printf(
                "sharding: writes per app %s; %s killed; every app at v2 %d ms later (design %d ms)%n",
                writes, victim, took.toMillis(), design.toMillis());
        assertThat(took)
                .as("takeover time (design " + design.toMillis() + " ms, plus 40 s for a loaded machine)")
                .isLessThan(design.plusSeconds(40));
        Map<String, Map<String, Long>> after = writesPerApp(survivors);
        assertThat(after)
                .allSatisfy((app, byReplica) -> assertThat(byReplica)
                        .as("replicas that wrote " + app + " after the kill: " + after)
                        .hasSize(1));
        assertThat(after.values().stream().flatMap(m -> m.keySet().stream())).doesNotContain(victim);
    }

    @Test
    void aReplicaJoiningTakesItsRendezvousShareWhileEveryLeaseGoesFromOneHolderToTheNextThroughARelease(
            TestCluster cluster) throws Exception {
        // Given six apps on two running replicas, each app held by its rendezvous owner among the two
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        APPS.forEach(app -> repo.write(app + "/config.yaml", configMap(app + "-setting", "v1")));
        repo.commit("six apps at v1");
        LockstepConfig config = config(cluster, repo, APPS, INTERVAL, Optional.empty());
        // renewals far inside the Lease: in this test an app changes hands only because the member list changed
        LeaderElection.Timing timing =
                new LeaderElection.Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofMillis(500));
        List<Replica> replicas = new ArrayList<>(
                List.of(replica(cluster, config, "replica-a", timing), replica(cluster, config, "replica-b", timing)));
        replicas.forEach(r -> r.daemon().start());
        ShardLeases leases = new ShardLeases(cluster.client(), cluster.namespace(), Clock.systemUTC());
        await("every app at v1").atMost(Duration.ofSeconds(90)).until(() -> all(cluster, "v1"));
        awaitHeldByRendezvousOwners(leases, List.of("replica-a", "replica-b"));
        Map<String, String> before = new TreeMap<>();
        APPS.forEach(app -> before.put(app, leases.holder(app).orElseThrow()));
        List<String> three = List.of("replica-a", "replica-b", "replica-c");
        List<String> moving = APPS.stream()
                .filter(app -> Rendezvous.owner(app, three).orElseThrow().equals("replica-c"))
                .toList();
        assertThat(moving).as("replica-c's rendezvous share of " + APPS).isNotEmpty();

        // When a third replica joins, with a new commit to every app pushed as it does
        try (LeaseHistory history = LeaseHistory.watch(cluster)) {
            Replica joining = replica(cluster, config, "replica-c", timing);
            replicas.add(joining);
            joining.daemon().start();
            APPS.forEach(app -> repo.write(app + "/config.yaml", configMap(app + "-setting", "v2")));
            repo.commit("six apps at v2");

            // Then it takes exactly its rendezvous share, the others keep theirs, and the commit reaches every app
            awaitHeldByRendezvousOwners(leases, three);
            await("every app at v2").atMost(Duration.ofSeconds(90)).until(() -> all(cluster, "v2"));

            // ... each Lease changed hands only through a release: an app moving to replica-c went from its old holder
            // to none, then to replica-c; an app staying never lost its holder
            Map<String, List<String>> holders = history.holdersPerApp();
            for (String app : APPS) {
                List<String> expected = moving.contains(app)
                        ? List.of(before.get(app), LeaseHistory.NONE, "replica-c")
                        : List.of(before.get(app));
                assertThat(holders.get(app))
                        .as("holders of " + app + "'s Lease since replica-c was started: " + holders)
                        .isEqualTo(expected);
            }
        }

        // ... and from now on each app is written by its new owner only: a commit to every app, counted per replica
        replicas.forEach(r -> r.requests().reset());
        APPS.forEach(app -> repo.write(app + "/config.yaml", configMap(app + "-setting", "v3")));
        repo.commit("six apps at v3");
        await("every app at v3").atMost(Duration.ofSeconds(90)).until(() -> all(cluster, "v3"));
        Map<String, Map<String, Long>> writes = writesPerApp(replicas);
        for (String app : APPS) {
            assertThat(writes.get(app).keySet())
                    .as("replicas that wrote " + app + " after the join: " + writes)
                    .containsExactly(Rendezvous.owner(app, three).orElseThrow());
        }
        await("replica-c's /metrics counting its share")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(get(replicas.get(2).daemon(), "/metrics"))
                        .contains("lockstep_shard_apps_owned " + moving.size() + ".0")
                        .contains("lockstep_shard_replicas 3.0"));
    }

    @Test
    void anAppMovingAwayIsFencedAtOnceAndItsLeaseReleasedOneLookLater(TestCluster cluster) {
        // Given a replica holding every app (its looks run by hand here: each tick() is one retry period's look)
        ShardLeases leases = new ShardLeases(cluster.client(), cluster.namespace(), Clock.systemUTC());
        List<String> gained = new java.util.concurrent.CopyOnWriteArrayList<>();
        Sharding a = new Sharding(
                leases,
                "replica-a",
                APPS,
                new LeaderElection.Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)),
                Clock.systemUTC(),
                gained::add,
                app -> {});
        for (int i = 0; i <= Sharding.WARM_UP_LOOKS; i++) {
            a.tick();
        }
        assertThat(APPS).allMatch(a::mayWrite);
        assertThat(gained).containsExactlyInAnyOrderElementsOf(APPS);

        // When replica-c announces itself
        leases.announce("replica-c", Duration.ofSeconds(15));
        List<String> moving = APPS.stream()
                .filter(app -> Rendezvous.owner(app, List.of("replica-a", "replica-c"))
                        .orElseThrow()
                        .equals("replica-c"))
                .toList();
        assertThat(moving).as("replica-c's share").isNotEmpty();
        a.tick();

        // Then replica-a stops writing the apps that move at once, but still holds their Leases for one more look
        for (String app : APPS) {
            assertThat(a.mayWrite(app)).as("may replica-a write " + app).isEqualTo(!moving.contains(app));
            assertThat(leases.holder(app)).as("holder of " + app).contains("replica-a");
        }
        // ... and at its next look it releases them, keeping the others
        a.tick();
        for (String app : APPS) {
            assertThat(leases.holder(app))
                    .as("holder of " + app)
                    .isEqualTo(moving.contains(app) ? Optional.empty() : Optional.of("replica-a"));
        }
        assertThat(leases.hold(moving.get(0), "replica-c", Duration.ofSeconds(15))
                        .held())
                .as("replica-c takes " + moving.get(0))
                .isTrue();

        // When replica-a stops, it lets go of everything it held and of its own Lease
        a.close();
        assertThat(APPS).noneMatch(a::mayWrite);
        assertThat(APPS.stream().filter(app -> !moving.contains(app)))
                .allMatch(app -> leases.holder(app).isEmpty());
        assertThat(leases.liveReplicas()).containsExactly("replica-c");
    }

    private static void awaitHeldByRendezvousOwners(ShardLeases leases, List<String> members) {
        await("each app's Lease held by its rendezvous owner among " + members)
                .atMost(Duration.ofSeconds(60))
                .until(() -> APPS.stream().allMatch(app -> leases.holder(app).equals(Rendezvous.owner(app, members))));
    }

    /**
     * Every change of holder of the apps' Leases, as a watch on the real API server delivers them (in resourceVersion
     * order per Lease): the first state seen, then each change, renewals by the same holder folded away.
     */
    private static final class LeaseHistory implements AutoCloseable {
        static final String NONE = "(none)";
        private final Map<String, List<String>> holders = new java.util.concurrent.ConcurrentHashMap<>();
        private final io.fabric8.kubernetes.client.Watch watch;

        private LeaseHistory(TestCluster cluster) {
            this.watch = cluster.client()
                    .leases()
                    .inNamespace(cluster.namespace())
                    .watch(new io.fabric8.kubernetes.client.Watcher<>() {
                        @Override
                        public void eventReceived(
                                Action action, io.fabric8.kubernetes.api.model.coordination.v1.Lease lease) {
                            String name = lease.getMetadata().getName();
                            if (!name.startsWith("lockstep-app-")) {
                                return;
                            }
                            String holder = action == Action.DELETED
                                            || lease.getSpec() == null
                                            || lease.getSpec().getHolderIdentity() == null
                                    ? NONE
                                    : lease.getSpec().getHolderIdentity();
                            List<String> seen = holders.computeIfAbsent(
                                    name.substring("lockstep-app-".length()),
                                    k -> new java.util.concurrent.CopyOnWriteArrayList<>());
                            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(holder)) {
                                seen.add(holder);
                            }
                        }

                        @Override
                        public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                    });
        }

        /** Starts watching; the watch's first events are the Leases as they are now. */
        static LeaseHistory watch(TestCluster cluster) {
            return new LeaseHistory(cluster);
        }

        Map<String, List<String>> holdersPerApp() {
            Map<String, List<String>> copy = new TreeMap<>();
            holders.forEach((app, list) -> copy.put(app, List.copyOf(list)));
            return copy;
        }

        @Override
        public void close() {
            watch.close();
        }
    }

    @Test
    void aPushWebhookReachingAReplicaThatDoesNotOwnTheAppIsAppliedByItsOwner(TestCluster cluster) throws Exception {
        // Given two sharded replicas, two apps, and an hour between polls: after the first pass of an app, only a
        // webhook makes its owner run another one
        List<String> apps = List.of("hook-0", "hook-1");
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        apps.forEach(app -> repo.write(app + "/config.yaml", configMap(app + "-setting", "v1")));
        repo.commit("both apps at v1");
        Path secretFile = tmp.resolve("webhook-secret");
        Files.writeString(secretFile, "s3cret\n");
        LockstepConfig config = config(cluster, repo, apps, Duration.ofHours(1), Optional.of(secretFile));
        LeaderElection.Timing timing =
                new LeaderElection.Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofMillis(500));
        List<Replica> replicas =
                List.of(replica(cluster, config, "replica-a", timing), replica(cluster, config, "replica-b", timing));
        replicas.forEach(r -> r.daemon().start());
        await("both apps at v1").atMost(Duration.ofSeconds(90)).until(() -> all(cluster, apps, "v1"));
        ShardLeases leases = new ShardLeases(cluster.client(), cluster.namespace(), Clock.systemUTC());
        List<String> identities = replicas.stream().map(Replica::identity).toList();
        // both apps held by the replica rendezvous hashing names among both replicas: nothing moves any more
        await("each app's Lease held by its rendezvous owner")
                .atMost(Duration.ofSeconds(60))
                .until(() -> apps.stream().allMatch(a -> leases.holder(a).equals(Rendezvous.owner(a, identities))));
        String app = apps.get(0);
        String owner = leases.holder(app).orElseThrow();
        Replica ownerReplica = replicas.stream()
                .filter(r -> r.identity().equals(owner))
                .findFirst()
                .orElseThrow();
        Replica other =
                replicas.stream().filter(r -> r != ownerReplica).findFirst().orElseThrow();
        replicas.forEach(r -> r.requests().reset());

        // When a commit is pushed and the forge's push webhook reaches the replica that does not own the app
        apps.forEach(a -> repo.write(a + "/config.yaml", configMap(a + "-setting", "v2")));
        String v2 = repo.commit("both apps at v2");
        String body = "{\"ref\":\"refs/heads/main\",\"after\":\"" + v2 + "\"}";
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + other.daemon().httpPort() + "/webhook/" + app))
                        .header(
                                "X-Hub-Signature-256",
                                WebhookSecret.of("s3cret".getBytes(StandardCharsets.UTF_8))
                                        .sign(body.getBytes(StandardCharsets.UTF_8)))
                        .header("X-GitHub-Event", "push")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        // Then the call is accepted, and the owner applies the commit long before its next poll, an hour away
        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(answer.body()).contains("\"triggered\":[\"" + app + "\"]");
        await(app + " at v2, applied by its owner " + owner + " (the next poll is an hour away)")
                .atMost(Duration.ofSeconds(60))
                .until(() -> all(cluster, List.of(app), "v2"));
        assertThat(ownerReplica.writesTo(app)).as("writes of " + owner).isPositive();
        assertThat(other.writesTo(app)).as("writes of " + other.identity()).isZero();
        // ... the request is on the app's Lease for anyone to see, naming the replica the webhook reached
        assertThat(cluster.client()
                        .leases()
                        .inNamespace(cluster.namespace())
                        .withName("lockstep-app-" + app)
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .hasEntrySatisfying(
                        MetadataKeys.PASS_REQUESTED, v -> assertThat(v).endsWith(" by " + other.identity()));
        // ... the owner still holds the app, and the app the webhook did not name is untouched
        assertThat(leases.holder(app)).contains(owner);
        assertThat(all(cluster, List.of(apps.get(1)), "v1"))
                .as(apps.get(1) + " still at v1")
                .isTrue();
    }

    /** One replica, not started: its own proxy, counted client and daemon. */
    private Replica replica(TestCluster cluster, LockstepConfig config, String identity, LeaderElection.Timing timing) {
        TcpProxy proxy = closing(cluster.proxyToApiServer());
        RequestCounter requests = new RequestCounter();
        KubernetesClient client = closing(requests.client(cluster.configThrough(proxy)));
        Daemon daemon = closing(new Daemon(
                config.withCacheDir(tmp.resolve("cache-" + identity)),
                client,
                Clock.systemUTC(),
                Optional.of(identity),
                timing,
                List.of(new RecordingListener())));
        return new Replica(identity, proxy, requests, daemon);
    }

    private static LockstepConfig config(
            TestCluster cluster, GitRepoFixture repo, List<String> names, Duration interval, Optional<Path> secret) {
        List<AppSpec> apps = names.stream()
                .map(app -> AppSpecs.of(
                        app,
                        new RepoSpec(repo.url(), "main"),
                        app,
                        cluster.namespace(),
                        interval,
                        true,
                        true,
                        Set.of(),
                        Set.of(),
                        0.5,
                        false))
                .toList();
        return new LockstepConfig(apps, Path.of("unused"), cluster.namespace(), 0, secret, 4, Optional.empty(), true);
    }

    private static boolean all(TestCluster cluster, String value) {
        return all(cluster, APPS, value);
    }

    private static boolean all(TestCluster cluster, List<String> apps, String value) {
        return apps.stream().allMatch(app -> {
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
