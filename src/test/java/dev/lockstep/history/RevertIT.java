package dev.lockstep.history;

import static dev.lockstep.testing.AppWaits.awaitHealthyAt;
import static dev.lockstep.testing.HelloApp.deployment;
import static dev.lockstep.testing.HelloApp.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.cli.Main;
import dev.lockstep.config.AppSpec;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.InProcessDaemon;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.RequestCounter;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * git revert is the rollback: driven by real commits and the daemon's own loop, the Deployment's revision
 * history follows git, and a revert reuses the old ReplicaSet exactly as {@code kubectl rollout undo} would.
 */
@RealCluster
class RevertIT {
    private static final Duration ROLLOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private final RequestCounter requests = new RequestCounter();
    private final RecordingListener events = new RecordingListener();
    private KubernetesClient client;
    private InProcessDaemon daemon;

    @AfterEach
    void stop() {
        stopDaemon();
        if (client != null) {
            client.close();
        }
    }

    /** Starts a fresh daemon (engine + loop), as a restarted or replaced pod would. */
    private AppReconciler startDaemon(TestCluster cluster, AppSpec app) {
        if (client == null) {
            client = requests.client(cluster.config());
            daemon = new InProcessDaemon(client, tmp.resolve("cache"), events);
        }
        return daemon.restart(app);
    }

    private void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** Revision → ReplicaSet, as {@code kubectl rollout history} reads them. */
    private static Map<Long, ReplicaSet> replicaSets(TestCluster cluster) {
        Map<Long, ReplicaSet> out = new TreeMap<>();
        for (ReplicaSet rs : cluster.client().apps().replicaSets().list().getItems()) {
            out.put(Long.parseLong(rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")), rs);
        }
        return out;
    }

    private static String changeCause(ReplicaSet rs) {
        return rs.getMetadata().getAnnotations().get("kubernetes.io/change-cause");
    }

    private static Deployment helloApp(TestCluster cluster) {
        return cluster.client().apps().deployments().withName("hello-app").get();
    }

    private String lockstepHistory(TestCluster cluster, GitRepoFixture repo) throws Exception {
        Path config = TestApps.writeConfigFile(tmp, cluster.namespace(), repo);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                new PrintWriter(out),
                new PrintWriter(err),
                "history",
                "--config",
                config.toString(),
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "hello-app");
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void theSeedStoryRevertReusesTheV2ReplicaSetAndHistoryNamesEveryCommit(TestCluster cluster) throws Exception {
        cluster.keepImagesUnready(".*:v3$");
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        AppSpec spec = TestApps.hello(repo, cluster.namespace());
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1")).write("app/service.yaml", service(0));
        String v1 = repo.commit("hello-app v1");
        AppReconciler app = startDaemon(cluster, spec);
        awaitHealthyAt(app, v1, cluster, ROLLOUT);

        stopDaemon();
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v2"));
        String v2 = repo.commit("image v2");
        app = startDaemon(cluster, spec);
        awaitHealthyAt(app, v2, cluster, ROLLOUT);

        repo.write("app/deployment.yaml", deployment("080196/hello-app:v3"));
        String v3 = repo.commit("image v3");
        AppReconciler running = app;
        await().atMost(ROLLOUT).untilAsserted(() -> {
            assertThat(running.status().commit()).isEqualTo(v3);
            assertThat(running.status().health()).isEqualTo(AppHealth.FAILED);
        });
        assertThat(running.status()
                        .deployments()
                        .get(cluster.namespace() + "/hello-app")
                        .message())
                .isEqualTo("deployment \"hello-app\" exceeded its progress deadline");

        // A restart between steps re-applies nothing and leaves the revisions alone.
        stopDaemon();
        requests.reset();
        app = startDaemon(cluster, spec);
        AppReconciler restarted = app;
        await().atMost(Duration.ofSeconds(30))
                .until(() -> restarted.status().commit().equals(v3));
        assertThat(requests.writes().stream().filter(w -> !w.contains("dryRun=All")))
                .as("real writes after a restart with nothing new in git")
                .isEmpty();
        assertThat(helloApp(cluster).getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision", "3");

        String revert = repo.revert(v3);
        awaitHealthyAt(app, revert, cluster, ROLLOUT);

        Map<Long, ReplicaSet> history = replicaSets(cluster);
        assertThat(history.keySet()).containsExactly(1L, 3L, 4L);
        assertThat(changeCause(history.get(1L))).isEqualTo(v1.substring(0, 7) + " hello-app v1");
        assertThat(changeCause(history.get(3L))).isEqualTo(v3.substring(0, 7) + " image v3");
        assertThat(changeCause(history.get(4L)))
                .isEqualTo(revert.substring(0, 7) + " Revert \"image v3\" (rollback to revision 2, commit "
                        + v2.substring(0, 7) + ")");
        ReplicaSet reused = history.get(4L);
        assertThat(reused.getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision-history", "2")
                .containsEntry("lockstep.dev/rollback-of", v2);
        assertThat(reused.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("080196/hello-app:v2");
        assertThat(events.events()).contains("rollback hello-app to 2 as 4 reused");
        Deployment d = helloApp(cluster);
        assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "4");
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .as("no commit data in the pod template")
                .isNullOrEmpty();

        String table = lockstepHistory(cluster, repo);
        assertThat(table)
                .contains("deployment " + cluster.namespace() + "/hello-app (app hello, at revision 4: Healthy)");
        assertThat(table.lines().filter(l -> !l.isBlank()).toList())
                .hasSize(5)
                .anySatisfy(l -> assertThat(l)
                        .startsWith("1 ")
                        .contains(v1.substring(0, 7))
                        .contains("hello-app v1")
                        .contains("Ada Lovelace")
                        .endsWith("rolled out"))
                .anySatisfy(l -> assertThat(l)
                        .startsWith("3 ")
                        .contains(v3.substring(0, 7))
                        .contains("image v3")
                        .endsWith("failed"))
                .anySatisfy(l -> assertThat(l)
                        .startsWith("4 (was 2) ")
                        .contains(revert.substring(0, 7))
                        .contains("Revert \"image v3\"")
                        .endsWith("rolled back to 2 (" + v2.substring(0, 7) + ")"));

        // Revert the revert: back to v3's ReplicaSet (which fails again, as v3 still never becomes ready).
        String again = repo.revert(revert);
        AppReconciler last = app;
        await().atMost(ROLLOUT).untilAsserted(() -> {
            assertThat(last.status().commit()).isEqualTo(again);
            assertThat(last.status().health()).isEqualTo(AppHealth.FAILED);
        });
        Map<Long, ReplicaSet> after = replicaSets(cluster);
        assertThat(after.keySet()).containsExactly(1L, 4L, 5L);
        assertThat(after.get(5L).getMetadata().getName())
                .isEqualTo(history.get(3L).getMetadata().getName());
        assertThat(after.get(5L).getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision-history", "3");
        // the status shows FAILED from the live conditions as soon as the controller sets them; the rollback event
        // comes when the follower's next tick (every second) ends the rollout
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(events.events()).contains("rollback hello-app to 3 as 5 reused"));
    }

    @Test
    void driftIsUndoneWithSelfHealAndOnlyReportedWithout(TestCluster cluster) throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1"));
        String v1 = repo.commit("hello-app v1");
        AppSpec spec = TestApps.hello(repo, cluster.namespace());
        AppReconciler app = startDaemon(cluster, spec);
        awaitHealthyAt(app, v1, cluster, ROLLOUT);

        Kubectl.setImage(cluster, "hello-app", "hello=080196/hello-app:hacked");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(helloApp(cluster)
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getImage())
                        .isEqualTo("080196/hello-app:v1"));
        // The pass reports its drift at its end, just after the write the image check above can already see.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(events.events())
                        .contains("drift hello-app spec.template.spec.containers[0].image corrected"));
        assertThat(helloApp(cluster).getMetadata().getAnnotations()).containsEntry("lockstep.dev/commit", v1);

        stopDaemon();
        app = startDaemon(cluster, TestApps.withSelfHeal(spec, false));
        AppReconciler reporting = app;
        await().atMost(Duration.ofSeconds(30))
                .until(() -> reporting.status().commit().equals(v1));
        Kubectl.setImage(cluster, "hello-app", "hello=080196/hello-app:hacked");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(events.events())
                        .contains("drift hello-app spec.template.spec.containers[0].image reported"));
        // Self-heal off must leave the change in place, pass after pass. The pass that reported the drift may not
        // have finished yet, so four more finished passes are at least three whole passes after it.
        events.awaitPasses(events.passes(), 4, Duration.ofSeconds(30), "four more passes after the drift was reported");
        assertThat(helloApp(cluster)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("080196/hello-app:hacked");
    }
}
