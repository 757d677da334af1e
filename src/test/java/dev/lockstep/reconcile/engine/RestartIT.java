package dev.lockstep.reconcile.engine;

import static dev.lockstep.testing.HelloApp.configMap;
import static dev.lockstep.testing.HelloApp.deployment;
import static dev.lockstep.testing.HelloApp.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RequestCounter;
import dev.lockstep.testing.RolloutWaits;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new process (a restarted daemon, a new leader) on a cluster that is in sync with git: the fingerprints in the app's
 * record let it trust the watch cache, so it sends no dry run and no write; a drifted object is still dry-run.
 */
@RealCluster
class RestartIT {
    @TempDir
    Path tmp;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A fresh engine on a fresh client, as a restarted daemon has: nothing remembered but the record. */
    private AppReconciler fresh(TestCluster cluster, GitRepoFixture repo, RequestCounter requests, String cache) {
        KubernetesClient client = requests.client(cluster.config());
        Engine engine = TestApps.engine(
                TestApps.config(TestApps.hello(repo, cluster.namespace()), tmp.resolve(cache)),
                client,
                ReconcileListener.NONE);
        open.add(0, client);
        open.add(0, engine);
        return engine.apps().get(0);
    }

    private static List<String> dryRuns(RequestCounter requests) {
        return requests.all().stream().filter(r -> r.contains("dryRun")).toList();
    }

    @Test
    void aRestartedDaemonOnAnInSyncClusterSendsNoDryRunAndNoWrite(TestCluster cluster) {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1"))
                .write("app/service.yaml", service(31001))
                .write("app/config.yaml", configMap("hello-config", "one"))
                .write("app/worker.yaml", deployment("worker", "080196/hello-app:v1", 1));
        String v1 = repo.commit("hello-app v1");
        RequestCounter first = new RequestCounter();
        AppReconciler firstApp = fresh(cluster, repo, first, "cache-1");
        assertThat(firstApp.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(dryRuns(first)).as("the first apply dry-runs every object").hasSize(4);
        RolloutWaits.awaitRolloutComplete(cluster.client(), cluster.namespace(), "hello-app");
        RolloutWaits.awaitRolloutComplete(cluster.client(), cluster.namespace(), "worker");
        // the first daemon records the rollouts' end, as its loop does every second; a rollout still followed in the
        // record would be followed on (and its end recorded) by the restarted daemon
        await("the first daemon recorded the rollouts' end")
                .atMost(Duration.ofSeconds(30))
                .until(() -> {
                    firstApp.refreshRollouts();
                    return !cluster.client()
                            .configMaps()
                            .withName("lockstep-app-hello")
                            .get()
                            .getData()
                            .containsKey("following");
                });

        RequestCounter second = new RequestCounter();
        AppReconciler restarted = fresh(cluster, repo, second, "cache-2");
        assertThat(restarted.reconcile()).isEqualTo(PassOutcome.UNCHANGED);
        assertThat(restarted.status().commit()).isEqualTo(v1);
        assertThat(dryRuns(second))
                .as("dry runs after a restart on an in-sync cluster")
                .isEmpty();
        assertThat(second.writes())
                .as("writes after a restart on an in-sync cluster")
                .isEmpty();

        // Someone edits one object while no daemon runs: that one, and only that one, is dry-run and healed.
        cluster.client().configMaps().withName("hello-config").edit(cm -> {
            cm.getData().put("value", "edited");
            return cm;
        });
        RequestCounter third = new RequestCounter();
        AppReconciler again = fresh(cluster, repo, third, "cache-3");
        again.reconcile();
        assertThat(dryRuns(third)).singleElement().asString().contains("/configmaps/hello-config");
        assertThat(cluster.client().configMaps().withName("hello-config").get().getData())
                .containsEntry("value", "one");
    }
}
