package dev.lockstep.history;

import static dev.lockstep.testing.AppWaits.awaitHealthyAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cli.Main;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.InProcessDaemon;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.ShopApp;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A release that bumps many services, then {@code git revert HEAD}: every Deployment rolls back by reusing its old
 * ReplicaSet, and the history says so for each, whether one rollout ends at a time or a dozen end together.
 */
@RealCluster
class BulkRevertIT {
    private static final Duration ROLLOUT = Duration.ofSeconds(180);

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

    @ParameterizedTest(name = "{0} Deployments")
    @ValueSource(ints = {1, 2, 12})
    void aRevertOfABulkReleaseIsARollbackForEveryDeployment(int services, TestCluster cluster) throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        ShopApp.files("app", services, "v1").forEach(repo::write);
        String v1 = repo.commit("shop v1");
        client = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(cluster.config())
                .build();
        daemon = new InProcessDaemon(client, tmp.resolve("cache"), events);
        AppReconciler app = daemon.restart(TestApps.hello(repo, cluster.namespace()));
        awaitHealthyAt(app, v1, cluster, ROLLOUT);
        Map<String, String> firstReplicaSets = replicaSetAtRevision(cluster, 1);

        ShopApp.files("app", services, "v2").forEach(repo::write);
        String v2 = repo.commit("shop v2: bump every image");
        awaitHealthyAt(app, v2, cluster, ROLLOUT);

        String revert = repo.revert(v2);
        awaitHealthyAt(app, revert, cluster, ROLLOUT);

        List<String> released = ShopApp.released(services);
        String table = lockstepHistory(cluster, repo);
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (String name : released) {
            verdicts.put(name, revisionRow(table, cluster.namespace() + "/" + name, "3 (was 1)"));
        }
        String rolledBack = "rolled back to 1 (" + v1.substring(0, 7) + ")";
        assertThat(verdicts)
                .as("the history's verdict on the revert, per Deployment\n" + table)
                .allSatisfy((name, row) -> assertThat(row).endsWith(rolledBack));

        for (String name : released) {
            Map<Long, ReplicaSet> bySerial = replicaSets(cluster, name);
            assertThat(bySerial.keySet()).as(name + " revisions").containsExactly(2L, 3L);
            ReplicaSet reused = bySerial.get(3L);
            assertThat(reused.getMetadata().getName())
                    .as(name + ": revision 3 is the revision 1 ReplicaSet, reused")
                    .isEqualTo(firstReplicaSets.get(name));
            assertThat(reused.getMetadata().getAnnotations())
                    .containsEntry("deployment.kubernetes.io/revision-history", "1")
                    .containsEntry(
                            "kubernetes.io/change-cause",
                            revert.substring(0, 7) + " Revert \"shop v2: bump every image\" (rollback to revision 1,"
                                    + " commit " + v1.substring(0, 7) + ")");
            assertThat(events.events()).contains("rollback " + name + " to 1 as 3 reused");
        }
    }

    /** Deployment name → the name of its ReplicaSet at {@code revision}. */
    private static Map<String, String> replicaSetAtRevision(TestCluster cluster, long revision) {
        Map<String, String> out = new TreeMap<>();
        for (ReplicaSet rs : cluster.client().apps().replicaSets().list().getItems()) {
            if (Long.parseLong(rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))
                    == revision) {
                out.put(
                        rs.getMetadata().getOwnerReferences().get(0).getName(),
                        rs.getMetadata().getName());
            }
        }
        return out;
    }

    /** A Deployment's ReplicaSets by revision, as {@code kubectl rollout history} reads them. */
    private static Map<Long, ReplicaSet> replicaSets(TestCluster cluster, String deployment) {
        Map<Long, ReplicaSet> out = new TreeMap<>();
        for (ReplicaSet rs : cluster.client().apps().replicaSets().list().getItems()) {
            if (rs.getMetadata().getOwnerReferences().get(0).getName().equals(deployment)) {
                out.put(Long.parseLong(rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")), rs);
            }
        }
        return out;
    }

    /** The row of {@code deployment}'s table whose REVISION column is {@code revision} ("" when there is none). */
    private static String revisionRow(String table, String deployment, String revision) {
        boolean inside = false;
        for (String line : table.lines().toList()) {
            if (line.startsWith("deployment ")) {
                inside = line.startsWith("deployment " + deployment + " ");
            } else if (inside && line.startsWith(revision + " ")) {
                return line;
            }
        }
        return "";
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
                cluster.kubeconfig().toString());
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }
}
