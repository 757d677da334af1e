package dev.lockstep.notify;

import static dev.lockstep.testing.AppWaits.awaitHealthyAt;
import static dev.lockstep.testing.HelloApp.deployment;
import static dev.lockstep.testing.HelloApp.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.cluster.KubeCluster;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.OnFailedRollout;
import dev.lockstep.config.OnManualRollback;
import dev.lockstep.config.WriteBackSpec;
import dev.lockstep.model.NotificationEvent;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.engine.Engine;
import dev.lockstep.reconcile.engine.ReconcileLoop;
import dev.lockstep.reconcile.report.LoggingListener;
import dev.lockstep.reconcile.report.NotificationListener;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.HttpReceiver;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The seed story with {@code onFailedRollout: revert}, on the real API server, told to a Flux-style webhook receiver
 * (HMAC-signed) and a GitHub-like commit-status API: every event in order, each once, and the statuses on v3's commit
 * and on the revert Lockstep pushed.
 */
@RealCluster
class NotificationIT {
    private static final Duration ROLLOUT = Duration.ofSeconds(120);
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final String SECRET = "hook-s3cret";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private final RecordingListener events = new RecordingListener();
    private final HttpReceiver hook = new HttpReceiver();
    private final HttpReceiver github = new HttpReceiver().finallyAnswer(201);
    /** A Slack url whose secret is its path, answering 404 (a revoked hook): its failure is logged, the path never. */
    private final HttpReceiver revoked = new HttpReceiver().finallyAnswer(404);

    private final java.io.ByteArrayOutputStream jsonLog = new java.io.ByteArrayOutputStream();
    private ch.qos.logback.core.OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> jsonAppender;
    private GitRepoFixture person;
    private String remote;
    private Notifier notifier;
    private Engine engine;
    private ReconcileLoop loop;

    @AfterEach
    void stop() {
        stopDaemon();
        stopJsonLog();
        hook.close();
        github.close();
        revoked.close();
        if (person != null) {
            person.close();
        }
    }

    private AppSpec app(TestCluster cluster) {
        remote = GitRepoFixture.bareRemote(tmp.resolve("remote.git"));
        person = GitRepoFixture.create(tmp.resolve("person"));
        AppSpec hello = TestApps.hello(person, cluster.namespace());
        return AppSpecs.withWriteBack(
                TestApps.fromRemote(hello, remote, INTERVAL),
                Optional.of(new WriteBackSpec("Lockstep", "lockstep@example.com", Optional.empty())),
                OnFailedRollout.REVERT,
                OnManualRollback.HEAL);
    }

    /** The engine and loop as the daemon wires them, with both destinations; a restart makes all of it anew. */
    private AppReconciler startDaemon(TestCluster cluster, AppSpec spec) {
        stopDaemon();
        notifier = new Notifier(
                List.of(
                        new Route(
                                "receiver",
                                new Webhook(hook.url("/hook"), Optional.of(SECRET)),
                                NotificationEvent.defaults(),
                                Set.of()),
                        new Route(
                                "status",
                                new CommitStatus(
                                        Forge.GITHUB,
                                        github.url("").toString(),
                                        "ghp_test",
                                        app -> "acme/deploy",
                                        Optional.empty()),
                                NotificationEvent.defaults(),
                                Set.of()),
                        new Route(
                                "team",
                                new Slack(revoked.url("/services/T000/B000/SECRETPATH"), Optional.empty()),
                                Set.of(NotificationEvent.ROLLOUT_FAILED),
                                Set.of())),
                new Sender(Sender.Policy.standard(), Sender.Sleeper.REAL),
                Notifier.QUEUE_CAPACITY,
                NotificationCounter.NONE);
        NotificationListener notifications = new NotificationListener(notifier, Clock.systemUTC());
        var config = TestApps.config(spec, tmp.resolve("cache"));
        engine = new Engine(
                config,
                KubeCluster.connect(cluster.client(), config.stateNamespace()),
                ReconcileListener.all(List.of(events, new LoggingListener(), notifications)),
                Clock.systemUTC(),
                Engine.AppPorts.SHARED,
                notifications);
        loop = new ReconcileLoop(engine.apps(), new Random(1), name -> true, name -> 0L);
        loop.start();
        return engine.apps().get(0);
    }

    private void stopDaemon() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
        if (engine != null) {
            engine.close();
            engine = null;
        }
        if (notifier != null) {
            notifier.close();
            notifier = null;
        }
    }

    private String push(String image, String message) {
        person.pull(remote);
        person.write("app/deployment.yaml", deployment("080196/hello-app:" + image))
                .write("app/service.yaml", service(0));
        String sha = person.commit(message);
        assertThat(person.push(remote)).isTrue();
        return sha;
    }

    private RevCommit remoteHead() throws Exception {
        try (Git git = Git.open(tmp.resolve("remote.git").toFile())) {
            return git.log().setMaxCount(1).call().iterator().next();
        }
    }

    /** "event shortSha" per webhook request, in arrival order. */
    private List<String> hookEvents() {
        return hook.received().stream()
                .map(r -> JSON.readTree(r.body()))
                .map(b -> b.get("reason").asString() + " "
                        + b.get("metadata").get("commit").asString().substring(0, 7))
                .toList();
    }

    /** "state" per status request on {@code sha}, in arrival order. */
    private List<String> statusesOn(String sha) {
        return github.received().stream()
                .filter(r -> r.path().equals("/repos/acme/deploy/statuses/" + sha))
                .map(r -> JSON.readTree(r.body()).get("state").asString())
                .toList();
    }

    /** Every line Lockstep logs from now on, in the JSON format of {@code run --log-format json}. */
    private void startJsonLog() {
        var context = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        var layout = new dev.lockstep.cli.JsonLogLayout();
        layout.setContext(context);
        layout.start();
        var encoder = new ch.qos.logback.core.encoder.LayoutWrappingEncoder<ch.qos.logback.classic.spi.ILoggingEvent>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        jsonAppender = new ch.qos.logback.core.OutputStreamAppender<>();
        jsonAppender.setContext(context);
        jsonAppender.setEncoder(encoder);
        jsonAppender.setOutputStream(jsonLog);
        jsonAppender.start();
        context.getLogger("dev.lockstep").addAppender(jsonAppender);
    }

    private void stopJsonLog() {
        if (jsonAppender != null) {
            var context = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
            context.getLogger("dev.lockstep").detachAppender(jsonAppender);
            jsonAppender.stop();
            jsonAppender = null;
        }
    }

    @Test
    void theSeedStoryWithRevertIsToldInOrderEachOnceAndSetsCommitStatuses(TestCluster cluster) throws Exception {
        AppSpec spec = app(cluster);
        startJsonLog();
        cluster.keepImagesUnready(".*:v3$");
        String v1 = push("v1", "hello-app v1");
        AppReconciler app = startDaemon(cluster, spec);
        awaitHealthyAt(app, v1, cluster, ROLLOUT);
        String v2 = push("v2", "image v2");
        awaitHealthyAt(app, v2, cluster, ROLLOUT);
        String v3 = push("v3", "image v3");
        await().atMost(ROLLOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> remoteHead().getShortMessage().equals("Revert \"image v3\""));
        String revert = remoteHead().name();
        awaitHealthyAt(app, revert, cluster, ROLLOUT);

        // a restart after it all sends nothing again
        stopDaemon();
        startDaemon(cluster, spec);
        int mark = events.passes();
        events.awaitPasses(mark, 3, Duration.ofSeconds(60), "three passes of the restarted daemon");
        await().atMost(Duration.ofSeconds(30)).until(() -> hook.received().size() >= 9);
        Thread.sleep(INTERVAL.multipliedBy(2).toMillis());

        String s1 = v1.substring(0, 7);
        String s2 = v2.substring(0, 7);
        String s3 = v3.substring(0, 7);
        String sr = revert.substring(0, 7);
        assertThat(hookEvents())
                .containsExactly(
                        "applied " + s1,
                        "healthy " + s1,
                        "applied " + s2,
                        "healthy " + s2,
                        "applied " + s3,
                        "rollout-failed " + s3,
                        "reverted " + s3,
                        "applied " + sr,
                        "healthy " + sr);
        for (HttpReceiver.Received r : hook.received()) {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/hook");
            assertThat(r.header("X-Signature")).isEqualTo("sha256=" + hmac(r.body()));
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("reportingController").asString()).isEqualTo("lockstep");
            assertThat(body.get("metadata").get("app").asString()).isEqualTo("hello");
        }
        JsonNode failed = JSON.readTree(hook.received().get(5).body());
        assertThat(failed.get("severity").asString()).isEqualTo("error");
        assertThat(failed.get("involvedObject").get("kind").asString()).isEqualTo("Deployment");
        assertThat(failed.get("metadata").get("revision").asString()).isEqualTo("main@sha1:" + v3);

        await().atMost(Duration.ofSeconds(30)).until(() -> statusesOn(revert).size() >= 2);
        assertThat(statusesOn(v3)).containsExactly("pending", "failure");
        assertThat(statusesOn(revert)).containsExactly("pending", "success");
        assertThat(statusesOn(v1)).containsExactly("pending", "success");
        HttpReceiver.Received status = github.received().get(0);
        assertThat(revoked.received()).hasSize(1); // a 404 is not tried again

        // the JSON log: every line one object with the pass's fields where known, and no secret anywhere
        stopJsonLog();
        List<String> lines = jsonLog.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSizeGreaterThan(8);
        List<JsonNode> parsed = lines.stream().map(JSON::readTree).toList();
        for (JsonNode line : parsed) {
            assertThat(line.get("time").asString()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
            assertThat(line.has("level") && line.has("logger") && line.has("message"))
                    .isTrue();
        }
        assertThat(lines).noneMatch(l -> l.contains(SECRET) || l.contains("ghp_test") || l.contains("SECRETPATH"));
        assertThat(parsed)
                .filteredOn(l -> l.get("message").asString().contains("failed after"))
                .singleElement()
                .satisfies(l -> {
                    assertThat(l.get("message").asString()).contains("to team (slack)", "HTTP 404");
                    assertThat(l.get("app").asString()).isEqualTo("hello");
                    assertThat(l.get("event").asString()).isEqualTo("rollout-failed");
                });
        // ITs run side by side in one JVM: only this test's namespace is this test's workload
        assertThat(parsed)
                .filteredOn(l -> l.has("workload") && l.has("revision"))
                .filteredOn(l -> l.get("workload").asString().contains("/" + cluster.namespace() + "/"))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l.get("app").asString()).isEqualTo("hello"));
        assertThat(status.method()).isEqualTo("POST");
        assertThat(status.header("Authorization")).isEqualTo("Bearer ghp_test");
        assertThat(JSON.readTree(status.body()).get("context").asString()).isEqualTo("lockstep/hello");
    }

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
