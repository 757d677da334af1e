package dev.lockstep.daemon;

import static dev.lockstep.testing.HelloApp.configMap;
import static dev.lockstep.testing.HelloApp.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.RequestCounter;
import dev.lockstep.testing.TcpProxy;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lost leadership never leaves a silent replica: the daemon's link to the API server (through a {@link TcpProxy}) is
 * cut for longer than the Lease's renew deadline, then restored. The daemon stops writing while it cannot renew,
 * re-enters the election, and within one Lease duration plus one interval of the link's return applies the commit
 * pushed meanwhile and heals the drift made meanwhile.
 */
@RealCluster
class LeadershipIT {
    // An 8 s Lease (half the shipped 15 s): the bound "one Lease duration plus one interval" keeps room for a loaded
    // CI machine, where recovery took 2.8 s on a quiet one; a shorter Lease only shortened the bound, not recovery.
    private static final LeaderElection.Timing FAST =
            new LeaderElection.Timing(Duration.ofSeconds(8), Duration.ofSeconds(3), Duration.ofMillis(500));
    private static final Duration INTERVAL = Duration.ofMillis(500);

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

    private LockstepConfig config(TestCluster cluster, GitRepoFixture repo) {
        return TestApps.config(
                TestApps.withInterval(TestApps.hello(repo, cluster.namespace()), INTERVAL),
                tmp.resolve("cache-" + closeables.size()));
    }

    private Daemon daemon(KubernetesClient client, LockstepConfig config, String identity, RecordingListener passes) {
        return closing(new Daemon(config, client, Clock.systemUTC(), Optional.of(identity), FAST, List.of(passes)))
                .start();
    }

    private HttpResponse<String> get(Daemon d, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.httpPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String metrics(Daemon d) throws Exception {
        return get(d, "/metrics").body();
    }

    /** {@code lockstep_leadership_lost_total} as the replica's /metrics shows it. */
    private double losses(Daemon d) throws Exception {
        return metrics(d)
                .lines()
                .filter(l -> l.startsWith("lockstep_leadership_lost_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
                .findFirst()
                .orElse(0);
    }

    private static String image(TestCluster cluster) {
        var d = cluster.client().apps().deployments().withName("hello-app").get();
        return d == null
                ? ""
                : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static String setting(TestCluster cluster) {
        ConfigMap cm = cluster.client().configMaps().withName("settings").get();
        return cm == null ? "" : cm.getData().get("value");
    }

    /** True once the Lease was last renewed more than a Lease duration ago: any standby could have taken it. */
    private static boolean leaseExpired(TestCluster cluster) {
        Lease lease = cluster.client().leases().withName("lockstep-leader").get();
        ZonedDateTime renewed = lease.getSpec().getRenewTime();
        return renewed.toInstant().plus(FAST.leaseDuration()).isBefore(Instant.now());
    }

    @Test
    void aDaemonCutOffLongerThanTheRenewDeadlineLeadsAgainAppliesTheNewCommitAndHealsDrift(TestCluster cluster)
            throws Exception {
        // Given a leading daemon, connected through a proxy, at v1
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1"));
        repo.write("app/settings.yaml", configMap("settings", "from-git"));
        repo.commit("hello-app v1");
        TcpProxy proxy = closing(cluster.proxyToApiServer());
        RequestCounter requests = new RequestCounter();
        KubernetesClient client = closing(requests.client(cluster.configThrough(proxy)));
        RecordingListener passes = new RecordingListener();
        Daemon d = daemon(client, config(cluster, repo), "replica-a", passes);
        await().atMost(Duration.ofSeconds(60)).until(() -> image(cluster).endsWith(":v1"));
        await().atMost(Duration.ofSeconds(20)).until(d::leading);
        assertThat(metrics(d)).contains("lockstep_leader 1.0").contains("lockstep_leadership_lost_total 0.0");

        // When its link is cut for longer than the renew deadline, until the Lease has expired for everyone
        proxy.cut();
        Instant cutAt = Instant.now();
        await("the daemon stops leading (renew deadline " + FAST.renewDeadline() + ")")
                .atMost(Duration.ofSeconds(30))
                .until(() -> !d.leading());
        int writesBefore = requests.writes().size();
        // ... meanwhile a commit is pushed and someone edits a field git sets
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v2"));
        repo.commit("image v2");
        cluster.client().configMaps().withName("settings").edit(cm -> {
            cm.setData(Map.of("value", "edited-by-hand"));
            return cm;
        });
        await("the Lease expired").atMost(Duration.ofSeconds(30)).until(() -> leaseExpired(cluster));
        await("the loss counted")
                .atMost(Duration.ofSeconds(30))
                .until(() -> losses(d) >= 1); // a loaded machine may miss a renewal more than once
        assertThat(Duration.between(cutAt, Instant.now())).isGreaterThan(FAST.renewDeadline());
        assertThat(metrics(d)).contains("lockstep_leader 0.0");
        assertThat(get(d, "/healthz").statusCode())
                .as("the elector keeps running (it re-entered the election), so the replica is healthy")
                .isEqualTo(200);
        // Events are best-effort telemetry, posted from a queue: one queued while leading may go out late. They are
        // the only writes besides the Lease that a replica not leading may send.
        assertThat(requests.writes().subList(writesBefore, requests.writes().size()))
                .as("while not leading, the daemon only tries to take the Lease: every other write is fenced")
                .allSatisfy(w -> assertThat(w).containsAnyOf("/leases", "/events"));
        assertThat(image(cluster)).endsWith(":v1");
        assertThat(setting(cluster)).isEqualTo("edited-by-hand");

        // Then, once the link is back, it leads again, and its first pass as leader applies v2 and heals the drift.
        // Counted in passes, not seconds: how long the Lease takes to come back depends on the machine's load (the
        // figures are printed; by design, within a Lease duration + interval on an idle machine).
        proxy.restore();
        Instant restoredAt = Instant.now();
        await("leading again after the link came back")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(d::leading);
        Instant ledAt = Instant.now();
        int passesBeforeLeading = passes.passes();
        await("v2 applied and the drift healed after the link came back")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> image(cluster).endsWith(":v2") && setting(cluster).equals("from-git"));
        int passesToConverge = passes.passes() - passesBeforeLeading;
        System.out.printf(
                "leadership: leading again %d ms after the link returned; v2 applied and drift healed %d ms after"
                        + " that, %d passes finished meanwhile (design: within %s + %s)%n",
                Duration.between(restoredAt, ledAt).toMillis(),
                Duration.between(ledAt, Instant.now()).toMillis(),
                passesToConverge,
                FAST.leaseDuration(),
                INTERVAL);
        // the converging pass (counted if it finished before the poll saw its writes), and at most one that was under
        // way when the leadership flag was read
        assertThat(passesToConverge)
                .as("passes finished between leading again and v2 applied with the drift healed")
                .isLessThanOrEqualTo(2);
        assertThat(d.leading()).isTrue();
        assertThat(metrics(d)).contains("lockstep_leader 1.0");
        assertThat(losses(d)).isGreaterThanOrEqualTo(1);
        assertThat(get(d, "/healthz").statusCode()).isEqualTo(200);
    }

    /** The commits in the app record's history, oldest first. */
    private static List<String> historyCommits(TestCluster cluster) {
        var record =
                cluster.client().configMaps().withName("lockstep-app-hello").get();
        if (record == null) {
            return List.of();
        }
        List<String> commits = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"commit\":\"([0-9a-f]{40})\"")
                .matcher(record.getData().getOrDefault("history", "[]"));
        while (m.find()) {
            commits.add(m.group(1));
        }
        return commits;
    }

    @Test
    void aReplicaThatLostTheLeaseToAnotherIsAStandbyWhenItsLinkReturnsAndLeadsFromTheClustersRecordLater(
            TestCluster cluster) throws Exception {
        // Given replica A leading (through a proxy) and replica B standing by (direct link)
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1"));
        String v1 = repo.commit("hello-app v1");
        TcpProxy proxy = closing(cluster.proxyToApiServer());
        RequestCounter aRequests = new RequestCounter();
        Daemon a = daemon(
                closing(aRequests.client(cluster.configThrough(proxy))),
                config(cluster, repo),
                "replica-a",
                new RecordingListener());
        await().atMost(Duration.ofSeconds(20)).until(a::leading);
        await().atMost(Duration.ofSeconds(60)).until(() -> image(cluster).endsWith(":v1"));
        // v1's rollout ends and is recorded before the cut (a rollout in flight at a change of leader is another story)
        await().atMost(Duration.ofSeconds(60))
                .until(() -> historyCommits(cluster).contains(v1));
        Daemon b = daemon(
                closing(new RequestCounter().client(cluster.config())),
                config(cluster, repo),
                "replica-b",
                new RecordingListener());

        // When A's link is cut, B takes the Lease and applies v2
        proxy.cut();
        await("B takes over").atMost(Duration.ofSeconds(30)).until(b::leading);
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v2"));
        String v2 = repo.commit("image v2");
        await("B applies v2")
                .atMost(Duration.ofSeconds(60))
                .until(() -> image(cluster).endsWith(":v2"));
        // v2's rollout ends and is recorded by B before it stops (a rollout in flight at a change of leader is not)
        await("B records v2's rollout")
                .atMost(Duration.ofSeconds(60))
                .until(() -> historyCommits(cluster).contains(v2));

        // Then, with its link back, A stands by: it only asks for the Lease
        proxy.restore();
        int mark = aRequests.all().size();
        int writesMark = aRequests.writes().size();
        await("A asks for the Lease twice after its link returned")
                .atMost(Duration.ofSeconds(30))
                .until(() -> {
                    List<String> all = aRequests.all(); // one snapshot: the list grows between two calls
                    return all.subList(mark, all.size()).stream()
                                    .filter(r -> r.contains("/leases"))
                                    .count()
                            >= 2;
                });
        assertThat(a.leading()).isFalse();
        assertThat(metrics(a)).contains("lockstep_leader 0.0");
        assertThat(losses(a)).isGreaterThanOrEqualTo(1);
        List<String> aWrites = aRequests.writes(); // one snapshot
        // (Events queued before the cut may still go out: best effort telemetry, as in the test above)
        assertThat(aWrites.subList(writesMark, aWrites.size()))
                .as("A writes nothing but Lease requests while B leads")
                .allSatisfy(w -> assertThat(w).containsAnyOf("/leases", "/events"));

        // ... and when B stops, A leads again from the record B wrote, not from its own memory of v1
        b.close();
        await("A leads again").atMost(Duration.ofSeconds(30)).until(a::leading);
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v3"));
        String v3 = repo.commit("image v3");
        await("A applies v3")
                .atMost(Duration.ofSeconds(60))
                .until(() -> image(cluster).endsWith(":v3"));
        await("v3 in the history")
                .atMost(Duration.ofSeconds(60))
                .until(() -> historyCommits(cluster).contains(v3));
        assertThat(historyCommits(cluster))
                .as("B's v2 entry kept: A re-read the record when it led again")
                .containsExactly(v1, v2, v3);
    }

    /** The results of the app record's history entries for {@code commit}. */
    private static List<String> historyResults(TestCluster cluster, String commit) {
        var record =
                cluster.client().configMaps().withName("lockstep-app-hello").get();
        if (record == null) {
            return List.of();
        }
        List<String> results = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "\"commit\":\"" + commit + "\"[^}]*\"result\":\"([^\"]*)\"")
                .matcher(record.getData().getOrDefault("history", "[]"));
        while (m.find()) {
            results.add(m.group(1));
        }
        return results;
    }

    @Test
    void aRolloutInFlightWhenTheLeaseMovesIsFollowedToItsEndByTheNewLeader(TestCluster cluster) throws Exception {
        // Given replica A leading at v1, replica B standing by, and v2's pods never ready (its rollout runs until the
        // progress deadline, 8 s)
        cluster.keepImagesUnready(".*:v2");
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1"));
        String v1 = repo.commit("hello-app v1");
        Daemon a = daemon(
                closing(new RequestCounter().client(cluster.config())),
                config(cluster, repo),
                "replica-a",
                new RecordingListener());
        await().atMost(Duration.ofSeconds(20)).until(a::leading);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> historyCommits(cluster).contains(v1));
        Daemon b = daemon(
                closing(new RequestCounter().client(cluster.config())),
                config(cluster, repo),
                "replica-b",
                new RecordingListener());

        // When A applies v2 and the Lease moves to B while v2's rollout is in flight
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v2"));
        String v2 = repo.commit("image v2");
        await("A applies v2")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> recordedCommit(cluster).equals(v2));
        a.close();
        await("B takes over").atMost(Duration.ofSeconds(30)).until(b::leading);

        // Then B follows v2's rollout to its end and the history names the commit
        await("v2's rollout in the history")
                .atMost(Duration.ofSeconds(90))
                .until(() -> !historyResults(cluster, v2).isEmpty());
        assertThat(historyResults(cluster, v2)).singleElement().asString().isEqualTo("failed");
        assertThat(historyCommits(cluster)).containsExactly(v1, v2);
    }

    private static String recordedCommit(TestCluster cluster) {
        var record =
                cluster.client().configMaps().withName("lockstep-app-hello").get();
        return record == null ? "" : record.getData().getOrDefault("commit", "");
    }
}
