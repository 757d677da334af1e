package dev.lockstep.reconcile.engine;

import static dev.lockstep.reconcile.engine.PassFixture.DEPLOYMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.model.NotificationEvent;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.notify.NotificationCounter;
import dev.lockstep.notify.Notifier;
import dev.lockstep.notify.Route;
import dev.lockstep.notify.Sender;
import dev.lockstep.notify.Webhook;
import dev.lockstep.reconcile.report.NotificationListener;
import dev.lockstep.testing.HttpReceiver;
import dev.lockstep.util.Tree;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whole passes with a webhook receiver: which events a commit's passes and rollouts send, that {@code healthy} waits
 * for every rollout, and that a restart (a new process reading the same record) sends nothing twice.
 */
class NotificationsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private PassFixture f;
    private HttpReceiver receiver;
    private Notifier notifier;

    @BeforeEach
    void setUp() {
        f = new PassFixture(tmp);
        receiver = new HttpReceiver();
        notifier = new Notifier(
                List.of(new Route(
                        "hook",
                        new Webhook(receiver.url("/hook"), Optional.empty()),
                        Set.of(NotificationEvent.values()),
                        Set.of())),
                new Sender(Sender.Policy.standard(), d -> {}),
                10,
                NotificationCounter.NONE);
    }

    @AfterEach
    void close() {
        notifier.close();
        receiver.close();
        f.close();
    }

    /** A new process: its own listener (nothing in memory), the same record in the cluster. */
    private AppReconciler process() {
        return f.reconciler(new NotificationListener(notifier, Clock.fixed(PassFixture.NOW, ZoneOffset.UTC)));
    }

    /** "reason shortSha" of every notification received, in order. */
    private List<String> received() {
        return receiver.received().stream()
                .map(r -> JSON.readTree(r.body()))
                .map(b -> b.get("reason").asString() + " "
                        + b.get("metadata").get("commit").asString().substring(0, 7))
                .toList();
    }

    private void awaitReceived(int n) {
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() >= n);
    }

    /** The Deployment controller finished the commit's rollout as {@code revision}. */
    private void rolledOut(String commit, long revision) {
        Map<String, Object> template =
                Tree.deepCopy(Tree.map(f.cluster.object(DEPLOYMENT).orElseThrow(), "spec", "template"));
        f.cluster.replicaSets(
                "shop/hello-app",
                List.of(new ReplicaSetInfo(
                        "hello-app-" + revision,
                        "uid-" + revision,
                        revision,
                        Map.of("lockstep.dev/commit", commit),
                        template,
                        PassFixture.NOW,
                        3)));
        f.cluster.edit(DEPLOYMENT, d -> {
            Tree.ensureMap(d, "metadata", "annotations")
                    .put("deployment.kubernetes.io/revision", Long.toString(revision));
            d.put(
                    "status",
                    Map.of(
                            "observedGeneration",
                            revision,
                            "replicas",
                            3,
                            "updatedReplicas",
                            3,
                            "availableReplicas",
                            3));
        });
    }

    /** The Deployment controller has not yet updated every replica. */
    private void progressing() {
        f.cluster.edit(
                DEPLOYMENT,
                d -> d.put(
                        "status",
                        Map.of("observedGeneration", 1, "replicas", 3, "updatedReplicas", 1, "availableReplicas", 3)));
    }

    @Test
    void appliedAtOnceHealthyOnlyOnceTheRolloutEndedAndARestartSendsNothingAgain() throws Exception {
        String v1 = f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = process();

        app.reconcile();
        app.refreshRollouts(); // still progressing: no healthy yet
        awaitReceived(1);
        Thread.sleep(200);
        assertThat(received()).containsExactly("applied " + v1.substring(0, 7));

        rolledOut(v1, 1);
        app.refreshRollouts();
        awaitReceived(2);
        assertThat(received()).containsExactly("applied " + v1.substring(0, 7), "healthy " + v1.substring(0, 7));
        assertThat(f.cluster.record("hello").orElseThrow().notified())
                .containsExactly(v1 + ":applied", v1 + ":healthy");

        AppReconciler restarted = process();
        restarted.reconcile();
        restarted.refreshRollouts();
        restarted.reconcile();
        Thread.sleep(300);
        assertThat(received()).hasSize(2);
    }

    @Test
    void aRestartBetweenAppliedAndHealthySendsHealthyOnceAndAppliedNotAgain() throws Exception {
        String v1 = f.commitApp("hello:v1", "hello-app v1");
        AppReconciler first = process();
        first.reconcile();
        rolledOut(v1, 1);
        first.refreshRollouts();
        String v2 = f.commitApp("hello:v2", "image v2");
        progressing();
        first.reconcile();
        awaitReceived(3);

        // the process stops while v2's rollout progresses; the next one knows only the cluster's record
        AppReconciler next = process();
        next.reconcile();
        next.refreshRollouts();
        Thread.sleep(200);
        assertThat(received()).hasSize(3);
        rolledOut(v2, 2);
        next.refreshRollouts();
        awaitReceived(4);
        Thread.sleep(200);

        String s1 = v1.substring(0, 7);
        String s2 = v2.substring(0, 7);
        assertThat(received()).containsExactly("applied " + s1, "healthy " + s1, "applied " + s2, "healthy " + s2);
        JsonNode healthy = JSON.readTree(receiver.received().get(3).body());
        assertThat(healthy.get("metadata").get("revision").asString()).isEqualTo("main@sha1:" + v2);
        assertThat(healthy.get("severity").asString()).isEqualTo("info");
    }

    @Test
    void aRejectedCommitIsRefusedOnce() throws Exception {
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = process();
        app.reconcile();
        f.repo.write("app/broken.yaml", "kind: [unclosed");
        String bad = f.publish(f.repo.commit("broken manifest"));

        app.reconcile();
        app.reconcile();
        process().reconcile();
        awaitReceived(2);
        Thread.sleep(300);

        List<JsonNode> refused = receiver.received().stream()
                .map(r -> JSON.readTree(r.body()))
                .filter(b -> b.get("reason").asString().equals("refused"))
                .toList();
        assertThat(refused).singleElement().satisfies(b -> {
            assertThat(b.get("metadata").get("commit").asString()).isEqualTo(bad);
            assertThat(b.get("severity").asString()).isEqualTo("error");
            assertThat(b.get("message").asString()).contains("broken.yaml");
        });
    }

    @Test
    void aReceiverThatNeverAnswersDoesNotDelayThePasses() {
        try (HttpReceiver silent = new HttpReceiver().silent();
                Notifier stuck = new Notifier(
                        List.of(new Route(
                                "silent",
                                new Webhook(silent.url("/hook"), Optional.empty()),
                                Set.of(NotificationEvent.values()),
                                Set.of())),
                        new Sender(Sender.Policy.standard(), d -> {}), // 10 s per try, 5 tries
                        10,
                        NotificationCounter.NONE)) {
            AppReconciler app = f.reconciler(new NotificationListener(stuck, Clock.systemUTC()));
            long start = System.nanoTime();
            for (int i = 1; i <= 5; i++) {
                f.commitApp("hello:v" + i, "hello-app v" + i);
                assertThat(app.reconcile()).isEqualTo(dev.lockstep.reconcile.pass.PassOutcome.APPLIED);
                app.refreshRollouts();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            await().atMost(Duration.ofSeconds(5)).until(() -> silent.received().size() == 1); // one hangs
            assertThat(took)
                    .as("five passes, each with a notice for a receiver that hangs")
                    .isLessThan(Duration.ofSeconds(8));
            assertThat(f.cluster.record("hello").orElseThrow().notified()).hasSize(5);
        }
    }

    @Test
    void healedDriftIsToldOncePerCommit() throws Exception {
        String v1 = f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = process();
        app.reconcile();
        Map<String, Object> v1Template =
                Tree.deepCopy(Tree.map(f.cluster.object(DEPLOYMENT).orElseThrow(), "spec", "template"));
        String v2 = f.commitApp("hello:v2", "image v2");
        progressing();
        app.reconcile();
        for (int i = 0; i < 2; i++) { // a kubectl rollout undo, twice: healed twice, told once
            f.cluster.edit(DEPLOYMENT, d -> Tree.ensureMap(d, "spec").put("template", Tree.deepCopy(v1Template)));
            assertThat(app.reconcile()).isEqualTo(dev.lockstep.reconcile.pass.PassOutcome.HEALED);
        }
        awaitReceived(3);
        Thread.sleep(300);
        assertThat(received())
                .containsExactly(
                        "applied " + v1.substring(0, 7),
                        "applied " + v2.substring(0, 7),
                        "drift-healed " + v2.substring(0, 7));
    }

    @Test
    void driftLeftAloneWithSelfHealOffSendsNothing() throws Exception {
        f.close();
        f = new PassFixture(tmp.resolve("off"), a -> dev.lockstep.testing.TestApps.withSelfHeal(a, false));
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = process();
        app.reconcile();
        awaitReceived(1);
        f.cluster.edit(
                DEPLOYMENT,
                d -> Tree.maps(d, "spec", "template", "spec", "containers")
                        .get(0)
                        .put("image", "hello:hotfix"));

        app.reconcile();
        Thread.sleep(300);

        assertThat(received()).singleElement().asString().startsWith("applied ");
    }

    @Test
    void withoutDestinationsTheRecordStaysAsItWas() {
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler(NotificationListener.off());
        app.reconcile();
        assertThat(f.cluster.record("hello").orElseThrow().notified()).isEmpty();
    }
}
