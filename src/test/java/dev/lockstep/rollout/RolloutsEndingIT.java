package dev.lockstep.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.cluster.ConfigMapAppRecords;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.engine.Engine;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.HelloApp;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RequestCounter;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several apps in one namespace, as in ManyAppsBenchmark (100 apps sharing a namespace of 10,000 ReplicaSets): when
 * their rollouts end, each app reads only its own Deployments' ReplicaSets, selected by the server, never the whole
 * namespace page by page; once ended, the rollouts are followed no more, so a round of passes with nothing new sends
 * nothing to the API server.
 */
@RealCluster
class RolloutsEndingIT {
    private static final List<String> APPS = List.of("shop", "billing", "search");
    private static final int PER_APP = 3;
    private static final int OTHERS = 12;

    @TempDir
    Path tmp;

    @Test
    void appsSharingANamespaceReadOnlyTheirReplicaSetsWhenRolloutsEndAndNothingOnceEnded(TestCluster cluster)
            throws Exception {
        String ns = cluster.namespace();
        // ReplicaSets no app owns share the namespace: a list of the namespace would carry them
        for (int i = 0; i < OTHERS; i++) {
            create(cluster, HelloApp.deployment("other-" + i, "080196/hello-app:v1", 0));
        }
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        for (String app : APPS) {
            for (int i = 0; i < PER_APP; i++) {
                repo.write(app + "/" + app + "-" + i + ".yaml", HelloApp.deployment(app + "-" + i, "hello:v1", 0));
            }
        }
        repo.commit("three apps of three Deployments");
        List<AppSpec> specs = new ArrayList<>();
        for (String app : APPS) {
            specs.add(AppSpecs.of(
                    app,
                    new RepoSpec(repo.url(), "main"),
                    app,
                    ns,
                    Duration.ofMinutes(1),
                    true,
                    true,
                    Set.of(),
                    Set.of(),
                    0.5,
                    false));
        }
        RequestCounter requests = new RequestCounter();
        try (KubernetesClient client = requests.client(cluster.config());
                Engine engine = TestApps.engine(
                        new LockstepConfig(specs, tmp.resolve("cache"), ns, 0, Optional.empty(), 4),
                        client,
                        ReconcileListener.NONE)) {
            for (AppReconciler app : engine.apps()) {
                assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
            }
            // every rollout has ended in the cluster, so each app sees its three end at once (the bulk path)
            await("the controller rolled out every Deployment")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> cluster.client().apps().deployments().inNamespace(ns).list().getItems().stream()
                            .allMatch(RolloutsEndingIT::rolledOut));
            requests.reset();

            await("every app recorded its rollouts' end")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        engine.apps().forEach(AppReconciler::refreshRollouts);
                        return APPS.stream().noneMatch(app -> follows(cluster, app));
                    });

            List<String> replicaSetReads = requests(requests).stream()
                    .filter(r -> r.contains("/replicasets"))
                    .toList();
            assertThat(replicaSetReads)
                    .as("ReplicaSet requests while the rollouts ended")
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.replace('+', ' '))
                            .as("selected by the apps' own labels, not the namespace listed page by page")
                            .contains("labelSelector=app")
                            .doesNotContain("limit=")
                            .doesNotContain("continue="));
            ConfigMapAppRecords records = new ConfigMapAppRecords(cluster.client(), ns);
            for (String app : APPS) {
                List<HistoryEntry> history = records.load(app).orElseThrow().history();
                assertThat(history).hasSize(PER_APP).allSatisfy(entry -> {
                    assertThat(entry.result()).isEqualTo("rolled out");
                    assertThat(entry.replicaSet()).startsWith(entry.workload().substring(ns.length() + 1) + "-");
                });
            }

            requests.reset();
            for (AppReconciler app : engine.apps()) {
                assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);
                app.refreshRollouts();
                app.refreshRollouts();
            }
            assertThat(requests(requests))
                    .as("requests of a round with nothing new, the ended rollouts followed no more")
                    .isEmpty();
        }
    }

    /** The counted requests, without the watch cache's watches (their probes may fall in any window). */
    private static List<String> requests(RequestCounter requests) {
        return requests.all().stream().filter(r -> !r.contains("watch=true")).toList();
    }

    private static boolean rolledOut(Deployment d) {
        return d.getStatus() != null
                && d.getStatus().getObservedGeneration() != null
                && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration();
    }

    private static boolean follows(TestCluster cluster, String app) {
        var record = cluster.client()
                .configMaps()
                .inNamespace(cluster.namespace())
                .withName(ConfigMapAppRecords.configMapName(app))
                .get();
        return record == null
                || (record.getData() != null && record.getData().containsKey("following"))
                || (record.getBinaryData() != null && record.getBinaryData().containsKey("following"));
    }

    private static void create(TestCluster cluster, String manifest) {
        cluster.client()
                .load(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)))
                .inNamespace(cluster.namespace())
                .create();
    }
}
