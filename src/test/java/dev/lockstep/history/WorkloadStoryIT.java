package dev.lockstep.history;

import static dev.lockstep.testing.AppWaits.awaitHealthyAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.cli.Main;
import dev.lockstep.config.AppSpec;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.pass.AppHealth;
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

    /**
     * Issue 19: after v3 failed (pod db-2 at v3, never Ready), a new good commit v4 instead of a revert. The OrderedReady
     * controller waits on the broken pod forever unless it is deleted, as Kubernetes documents after any template fix.
     */
    @Test
    void aStatefulSetFixedForwardAfterAFailedRolloutRollsOutToTheNewImage(TestCluster cluster) throws Exception {
        cluster.keepImagesUnready(".*:v3$");
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/workload.yaml", Workloads.statefulSet("db", "db:v1"));
        String v1 = repo.commit("db v1");
        AppReconciler app = start(cluster, TestApps.hello(repo, cluster.namespace()));
        awaitHealthyAt(app, v1, cluster, ROLLOUT);
        repo.write("app/workload.yaml", Workloads.statefulSet("db", "db:v2"));
        awaitHealthyAt(app, repo.commit("image v2"), cluster, ROLLOUT);
        repo.write("app/workload.yaml", Workloads.statefulSet("db", "db:v3"));
        repo.commit("image v3");
        await().atMost(ROLLOUT)
                .untilAsserted(() -> assertThat(events.events()).contains("rollout db FAILED revision 3 image v3"));

        repo.write("app/workload.yaml", Workloads.statefulSet("db", "db:v4"));
        String v4 = repo.commit("image v4, fixed forward");
        long fixedAt = System.nanoTime();
        awaitHealthyAt(app, v4, cluster, ROLLOUT);
        System.out.printf(
                "statefulset fix-forward: v4 rolled out %d ms after its commit%n",
                (System.nanoTime() - fixedAt) / 1_000_000);

        assertThat(cluster.client().pods().withLabel("app", "db").list().getItems())
                .hasSize(3)
                .allSatisfy(p -> assertThat(image(p)).isEqualTo("db:v4"));
        await().atMost(ROLLOUT)
                .untilAsserted(() ->
                        assertThat(events.events()).contains("rollout db HEALTHY revision 4 image v4, fixed forward"));
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

    /**
     * A Deployment and a StatefulSet both named "web" in one namespace, changed by one commit: the StatefulSet's
     * rollout fails, the Deployment's does not. Each history shows only its own result (history entries key on kind
     * too; they once keyed on namespace/name alone and the two shared them).
     */
    @Test
    void aDeploymentAndAStatefulSetOfOneNameEachShowOnlyTheirOwnHistory(TestCluster cluster) throws Exception {
        cluster.keepImagesUnready(".*:v3$");
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", webDeployment("hello:v1"));
        repo.write("app/statefulset.yaml", Workloads.statefulSet("web", "db:v1"));
        String v1 = repo.commit("web v1");
        AppReconciler app = start(cluster, TestApps.hello(repo, cluster.namespace()));
        awaitHealthyAt(app, v1, cluster, ROLLOUT);

        repo.write("app/deployment.yaml", webDeployment("hello:v2"));
        repo.write("app/statefulset.yaml", Workloads.statefulSet("web", "db:v3"));
        String v2 = repo.commit("web v2");
        String statefulSet = "StatefulSet/" + cluster.namespace() + "/web";
        await().atMost(ROLLOUT).untilAsserted(() -> {
            assertThat(app.status().commit()).isEqualTo(v2);
            assertThat(app.status().health()).as(app.status().toString()).isEqualTo(AppHealth.FAILED);
            assertThat(app.status()
                            .deployments()
                            .get(cluster.namespace() + "/web")
                            .state())
                    .isEqualTo(RolloutState.HEALTHY);
        });
        assertThat(app.status().workloads().get(statefulSet).state()).isEqualTo(RolloutState.FAILED);

        String out = lockstepHistory(cluster, repo, "web");
        String deploymentHeader = "deployment " + cluster.namespace() + "/web (app hello, at revision 2: Healthy)";
        String statefulSetHeader = "statefulset " + cluster.namespace() + "/web (app hello, at revision 2: Failed)";
        assertThat(out).contains(deploymentHeader).contains(statefulSetHeader);
        for (String header : java.util.List.of(deploymentHeader, statefulSetHeader)) {
            String section = section(out, header);
            assertThat(section.lines())
                    .as(section)
                    .anySatisfy(l -> assertThat(l)
                            .startsWith("1 ")
                            .contains(v1.substring(0, 7))
                            .endsWith("rolled out"))
                    .anySatisfy(l -> assertThat(l)
                            .startsWith("2 ")
                            .contains(v2.substring(0, 7))
                            .endsWith(header.equals(deploymentHeader) ? "rolled out" : "failed"));
        }
    }

    /**
     * The daemon restarts while a DaemonSet rolls out an image that never becomes ready: the new process follows the
     * rollout again, with its deadline (40 s here) from the original apply, and reports it failed.
     */
    @Test
    void aDaemonRestartedMidRolloutStillReportsAStuckDaemonSetFailed(TestCluster cluster) throws Exception {
        cluster.keepImagesUnready(".*:v3$");
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/workload.yaml", agent("agent:v1"));
        String v1 = repo.commit("agent v1");
        AppSpec spec = TestApps.hello(repo, cluster.namespace());
        AppReconciler app = start(cluster, spec);
        awaitHealthyAt(app, v1, cluster, ROLLOUT);
        repo.write("app/workload.yaml", agent("agent:v3"));
        String v3 = repo.commit("image v3");
        String key = "DaemonSet/" + cluster.namespace() + "/agent";
        await().atMost(ROLLOUT).untilAsserted(() -> {
            assertThat(app.status().commit()).isEqualTo(v3);
            assertThat(app.status().workloads().get(key).state()).isEqualTo(RolloutState.PROGRESSING);
        });

        AppReconciler restarted = daemon.restart(spec);

        await().atMost(ROLLOUT).untilAsserted(() -> {
            assertThat(restarted.status().health())
                    .as(restarted.status().toString())
                    .isEqualTo(AppHealth.FAILED);
            assertThat(restarted.status().workloads().get(key).message())
                    .startsWith("rollout of " + v3.substring(0, 7) + " failed: ");
        });
        await().atMost(ROLLOUT)
                .untilAsserted(() -> assertThat(events.events())
                        .anySatisfy(e ->
                                assertThat(e).startsWith("rollout agent FAILED").endsWith("image v3")));
        assertThat(lockstepHistory(cluster, repo, "agent").lines().toList())
                .anySatisfy(l -> assertThat(l)
                        .startsWith("2 ")
                        .contains(v3.substring(0, 7))
                        .endsWith("failed"));
    }

    /** The DaemonSet of the stories with a 40 s progress deadline, room for a restart before it passes. */
    private static String agent(String image) {
        return Workloads.daemonSet("agent", image)
                .replace(
                        "lockstep.dev/progress-deadline-seconds: \"15\"",
                        "lockstep.dev/progress-deadline-seconds: \"40\"");
    }

    /** The lines of one workload's table in {@code lockstep history} output: from its header to the blank line. */
    private static String section(String out, String header) {
        String rest = out.substring(out.indexOf(header) + header.length());
        int end = rest.indexOf("\n\n");
        return end < 0 ? rest : rest.substring(0, end);
    }

    /** hello-app's Deployment named "web", its pods labelled apart from the StatefulSet's. */
    private static String webDeployment(String image) {
        return dev.lockstep.testing.HelloApp.deployment("web", image, 1).replace("{app: web}", "{app: web-d}");
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

        String rollbackCause = revert.substring(0, 7) + " Revert \"image v3\" (rollback to revision 2, commit "
                + v2.substring(0, 7) + ")";
        // the controller renumbers the reused revision and Lockstep then annotates it: read until both happened
        await().atMost(ROLLOUT).untilAsserted(() -> {
            Map<Long, ControllerRevision> revisions = revisions(cluster);
            assertThat(revisions.keySet()).as("v2's revision reused as 4").containsExactly(1L, 3L, 4L);
            assertThat(changeCause(revisions.get(1L))).isEqualTo(v1.substring(0, 7) + " " + name + " v1");
            assertThat(changeCause(revisions.get(3L))).isEqualTo(v3.substring(0, 7) + " image v3");
            assertThat(changeCause(revisions.get(4L))).isEqualTo(rollbackCause);
            assertThat(revisions.get(4L).getMetadata().getAnnotations())
                    .containsEntry("lockstep.dev/commit", revert)
                    .containsEntry("lockstep.dev/rollback-of", v2);
        });
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
