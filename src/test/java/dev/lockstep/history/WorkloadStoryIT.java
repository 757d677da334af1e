package dev.lockstep.history;

import static dev.lockstep.testing.AppWaits.awaitHealthyAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.cli.Main;
import dev.lockstep.config.AppSpec;
import dev.lockstep.reconcile.AppHealth;
import dev.lockstep.reconcile.AppReconciler;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.InProcessDaemon;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.RequestCounter;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import dev.lockstep.testing.Workloads;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
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
 * The seed story for a StatefulSet and a DaemonSet on the real StatefulSet and DaemonSet controllers: v1 → v2 → v3
 * never ready (reported failed at Lockstep's progress deadline) → {@code git revert} → the controller reuses v2's
 * ControllerRevision, and {@code kubectl rollout history} names every commit and the rollback. And a Job that fails
 * is reported Failed with the Job controller's message.
 */
@RealCluster
class WorkloadStoryIT {
    private static final Duration ROLLOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private final RecordingListener events = new RecordingListener();
    private KubernetesClient client;
    private InProcessDaemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (client != null) {
            client.close();
        }
    }

    private AppReconciler start(TestCluster cluster, AppSpec app) {
        client = new RequestCounter().client(cluster.config());
        daemon = new InProcessDaemon(client, tmp.resolve("cache"), events);
        return daemon.restart(app);
    }

    @Test
    void aStatefulSetFollowsTheSeedStoryAndItsHistoryNamesEveryCommit(TestCluster cluster) throws Exception {
        story(cluster, "StatefulSet", "db", "statefulset", Workloads::statefulSet, "Waiting for 1 pods to be ready...");
        // The v3 pod that never became ready was replaced at v2 (the forced rollback Kubernetes documents).
        assertThat(cluster.client().pods().withLabel("app", "db").list().getItems())
                .hasSize(3)
                .allSatisfy(p -> assertThat(image(p)).isEqualTo("db:v2"));
    }

    @Test
    void aDaemonSetFollowsTheSeedStoryAndItsHistoryNamesEveryCommit(TestCluster cluster) throws Exception {
        story(
                cluster,
                "DaemonSet",
                "agent",
                "daemonset",
                Workloads::daemonSet,
                "Waiting for daemon set \"agent\" rollout to finish: 0 of 1 updated pods are available...");
        assertThat(cluster.client().pods().withLabel("app", "agent").list().getItems())
                .singleElement()
                .satisfies(p -> assertThat(image(p)).isEqualTo("agent:v2"));
    }

    @Test
    void aJobThatFailsIsReportedFailedWithItsConditionMessage(TestCluster cluster) throws Exception {
        cluster.failJobImages(".*:broken$");
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/ok.yaml", Workloads.job("seed", "migrate:v1"));
        String first = repo.commit("seed job");
        AppReconciler app = start(cluster, TestApps.hello(repo, cluster.namespace()));
        awaitHealthyAt(app, first, cluster, ROLLOUT);
        String key = "Job/" + cluster.namespace() + "/seed";
        assertThat(app.status().workloads().get(key).message()).isEqualTo("job \"seed\" completed (1 succeeded)");

        repo.write("app/broken.yaml", Workloads.job("migrate", "migrate:broken"));
        String broken = repo.commit("add a migration that fails");
        await().atMost(ROLLOUT).untilAsserted(() -> {
            assertThat(app.status().commit()).isEqualTo(broken);
            assertThat(app.status().health()).as(app.status().toString()).isEqualTo(AppHealth.FAILED);
        });
        var failed = app.status().workloads().get("Job/" + cluster.namespace() + "/migrate");
        assertThat(failed.state()).isEqualTo(RolloutState.FAILED);
        assertThat(failed.message())
                .isEqualTo("job \"migrate\" failed: BackoffLimitExceeded: Job has reached the specified backoff limit");
        assertThat(app.status().message()).contains(failed.message());
        await().atMost(ROLLOUT)
                .untilAsserted(() -> assertThat(events.events())
                        .contains("rollout migrate FAILED revision 0 add a migration that fails"));
        assertThat(lockstepHistory(cluster, repo, "migrate"))
                .contains("job " + cluster.namespace() + "/migrate (app hello: Failed, " + failed.message() + ")")
                .contains("no revision history");
        StringWriter status = new StringWriter();
        int code = cli(cluster, repo, status, "status");
        assertThat(code).as("a failed Job fails the status").isEqualTo(1);
        assertThat(status.toString())
                .contains("  job " + cluster.namespace() + "/migrate: Failed: " + failed.message())
                .contains("  job " + cluster.namespace() + "/seed: Healthy: job \"seed\" completed (1 succeeded)");
    }

    interface Manifest {
        String of(String name, String image);
    }

    private void story(
            TestCluster cluster, String kind, String name, String resource, Manifest manifest, String stuckMessage)
            throws Exception {
        String prefix = name.equals("db") ? "db" : "agent";
        cluster.keepImagesUnready(".*:v3$");
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/workload.yaml", manifest.of(name, prefix + ":v1"));
        String v1 = repo.commit(name + " v1");
        AppReconciler app = start(cluster, TestApps.hello(repo, cluster.namespace()));
        awaitHealthyAt(app, v1, cluster, ROLLOUT);

        repo.write("app/workload.yaml", manifest.of(name, prefix + ":v2"));
        String v2 = repo.commit("image v2");
        awaitHealthyAt(app, v2, cluster, ROLLOUT);

        repo.write("app/workload.yaml", manifest.of(name, prefix + ":v3"));
        String v3 = repo.commit("image v3");
        String key = kind + "/" + cluster.namespace() + "/" + name;
        // Failed first by the deadline ("exceeded its progress deadline"), then, once the failure is recorded in
        // the history, by the commit that failed
        await().atMost(ROLLOUT).untilAsserted(() -> {
            assertThat(app.status().commit()).isEqualTo(v3);
            assertThat(app.status().health()).as(app.status().toString()).isEqualTo(AppHealth.FAILED);
            assertThat(app.status().workloads().get(key).message())
                    .isEqualTo("rollout of " + v3.substring(0, 7) + " failed: " + stuckMessage);
        });
        await().atMost(ROLLOUT)
                .untilAsserted(
                        () -> assertThat(events.events()).contains("rollout " + name + " FAILED revision 3 image v3"));

        String revert = repo.revert(v3);
        awaitHealthyAt(app, revert, cluster, ROLLOUT);

        Map<Long, ControllerRevision> revisions = revisions(cluster);
        assertThat(revisions.keySet()).as("v2's revision reused as 4").containsExactly(1L, 3L, 4L);
        assertThat(changeCause(revisions.get(1L))).isEqualTo(v1.substring(0, 7) + " " + name + " v1");
        assertThat(changeCause(revisions.get(3L))).isEqualTo(v3.substring(0, 7) + " image v3");
        String rollbackCause = revert.substring(0, 7) + " Revert \"image v3\" (rollback to revision 2, commit "
                + v2.substring(0, 7) + ")";
        assertThat(changeCause(revisions.get(4L))).isEqualTo(rollbackCause);
        assertThat(revisions.get(4L).getMetadata().getAnnotations())
                .containsEntry("lockstep.dev/commit", revert)
                .containsEntry("lockstep.dev/rollback-of", v2);
        await().atMost(ROLLOUT)
                .untilAsserted(() -> assertThat(events.events()).contains("rollback " + name + " to 2 as 4 reused"));

        Kubectl.rolloutHistory(cluster, resource + "/" + name)
                .ifPresent(out -> assertThat(out.lines().map(String::strip).toList())
                        .contains("1         " + v1.substring(0, 7) + " " + name + " v1")
                        .contains("3         " + v3.substring(0, 7) + " image v3")
                        .contains("4         " + rollbackCause));

        String table = lockstepHistory(cluster, repo, name);
        assertThat(table)
                .contains(resource + " " + cluster.namespace() + "/" + name + " (app hello, at revision 4: Healthy)");
        assertThat(table.lines().filter(l -> !l.isBlank()).toList())
                .anySatisfy(l -> assertThat(l)
                        .startsWith("1 ")
                        .contains(v1.substring(0, 7))
                        .endsWith("rolled out"))
                .anySatisfy(l -> assertThat(l)
                        .startsWith("3 ")
                        .contains(v3.substring(0, 7))
                        .endsWith("failed"))
                .anySatisfy(l -> assertThat(l)
                        .startsWith("4 ")
                        .contains(revert.substring(0, 7))
                        .contains("Revert \"image v3\"")
                        .endsWith("rolled back to 2 (" + v2.substring(0, 7) + ")"));
    }

    private static Map<Long, ControllerRevision> revisions(TestCluster cluster) {
        Map<Long, ControllerRevision> out = new TreeMap<>();
        for (ControllerRevision cr :
                cluster.client().apps().controllerRevisions().list().getItems()) {
            out.put(cr.getRevision(), cr);
        }
        return out;
    }

    private static String changeCause(ControllerRevision cr) {
        return cr.getMetadata().getAnnotations().get("kubernetes.io/change-cause");
    }

    private static String image(Pod p) {
        return p.getSpec().getContainers().get(0).getImage();
    }

    private String lockstepHistory(TestCluster cluster, GitRepoFixture repo, String name) throws Exception {
        StringWriter out = new StringWriter();
        assertThat(cli(cluster, repo, out, "history", name)).as(out.toString()).isZero();
        return out.toString();
    }

    /** Runs a CLI command against this test's app; stdout goes to {@code out}, stderr is appended to it. */
    private int cli(TestCluster cluster, GitRepoFixture repo, StringWriter out, String command, String... args)
            throws Exception {
        Path config = TestApps.writeConfigFile(tmp, cluster.namespace(), repo);
        StringWriter err = new StringWriter();
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of(
                command,
                "--config",
                config.toString(),
                "--kubeconfig",
                cluster.kubeconfig().toString()));
        argv.addAll(java.util.List.of(args));
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), argv.toArray(String[]::new));
        out.append(err.toString());
        return code;
    }
}
