package dev.lockstep.render;

import static dev.lockstep.testing.AppWaits.awaitHealthyAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cli.Main;
import dev.lockstep.config.AppSpec;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.InProcessDaemon;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Helm chart kept in git, on the local 1.20 control plane: chart v1 is applied; a values-only commit (the image tag)
 * rolls the Deployment out; {@code git revert} reuses the old ReplicaSet; {@code lockstep history} names the commits
 * with the chart's version and values digest. The chart branches on the cluster's version from discovery.
 */
@RealCluster
class HelmChartIT {
    private static final Duration ROLLOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private InProcessDaemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void aValuesOnlyCommitRollsOutAndItsRevertReusesTheOldReplicaSet(TestCluster cluster) throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        writeChart(repo);
        repo.write("env/hello.yaml", "image:\n  tag: v1\n");
        String v1 = repo.commit("hello chart 1.0.0");
        AppSpec spec = AppSpecs.withRender(
                TestApps.hello(repo, cluster.namespace()),
                new RenderSpec(
                        RenderEngine.AUTO,
                        KustomizeSpec.DEFAULT,
                        new HelmSpec(
                                Optional.empty(),
                                List.of("../env/hello.yaml"),
                                Map.of("replicaCount", 2),
                                false,
                                Duration.ofSeconds(60)),
                        false));
        daemon = new InProcessDaemon(cluster.client(), tmp.resolve("cache"), new RecordingListener());
        AppReconciler app = daemon.restart(spec);
        awaitHealthyAt(app, v1, cluster, ROLLOUT);

        // the chart branches on .Capabilities.APIVersions.Has alone and took the 1.20 branch: the live cluster's
        // discovery reached Helm (Helm's built-in list holds policy/v1 and no group/version/Kind entry)
        GenericKubernetesResource pdb = cluster.client()
                .genericKubernetesResources("policy/v1beta1", "PodDisruptionBudget")
                .withName("hello-app")
                .get();
        assertThat(pdb).as("a policy/v1beta1 PodDisruptionBudget").isNotNull();
        assertThat(pdb.getMetadata().getAnnotations())
                .containsEntry("kube-version", "v1.20.2")
                .containsEntry("serves-deployments", "true");
        assertThat(cluster.client()
                        .apps()
                        .deployments()
                        .withName("hello-app")
                        .get()
                        .getSpec()
                        .getReplicas())
                .as("inline values merged last")
                .isEqualTo(2);

        String firstJob = migrateJob(cluster).getMetadata().getUid();

        repo.write("env/hello.yaml", "image:\n  tag: v2\n");
        String v2 = repo.commit("hello image v2");
        awaitHealthyAt(app, v2, cluster, ROLLOUT);
        // before-hook-creation: the hook Job was deleted and created anew with the new template
        assertThat(migrateJob(cluster).getMetadata().getUid()).isNotEqualTo(firstJob);
        assertThat(migrateJob(cluster)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("080196/hello-app:v2");

        String revert = repo.revert(v2);
        awaitHealthyAt(app, revert, cluster, ROLLOUT);

        Map<Long, ReplicaSet> history = replicaSets(cluster);
        assertThat(history.keySet()).containsExactly(2L, 3L);
        assertThat(history.get(3L).getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision-history", "1");
        assertThat(history.get(3L)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("080196/hello-app:v1");

        String table = lockstepHistory(cluster, repo);
        assertThat(table.lines().toList())
                .anySatisfy(l -> assertThat(l)
                        .startsWith("2 ")
                        .contains(v2.substring(0, 7))
                        .contains("hello image v2")
                        .contains("helm chart hello-1.0.0 values "))
                .anySatisfy(l -> assertThat(l)
                        .startsWith("3 (was 1) ")
                        .contains(revert.substring(0, 7))
                        .contains("helm chart hello-1.0.0 values "));
        String v1Digest = digestOn(table, "3 (was 1) ");
        String v2Digest = digestOn(table, "2 ");
        assertThat(v1Digest)
                .as("a values-only commit changes the values digest")
                .isNotEqualTo(v2Digest);
        assertThat(cluster.client().secrets().list().getItems())
                .as("no Helm release Secrets: helm list shows nothing")
                .noneMatch(s -> "helm.sh/release.v1".equals(s.getType()));
    }

    private static void writeChart(GitRepoFixture repo) {
        HelloChart.write(repo, "080196/hello-app");
        repo.write("app/values.yaml", "replicaCount: 1\nimage:\n  tag: v0\n");
        repo.write("app/templates/pdb.yaml", """
                {{- if .Capabilities.APIVersions.Has "policy/v1" }}
                apiVersion: policy/v1
                {{- else }}
                apiVersion: policy/v1beta1
                {{- end }}
                kind: PodDisruptionBudget
                metadata:
                  name: hello-app
                  annotations:
                    kube-version: {{ .Capabilities.KubeVersion.Version | quote }}
                    serves-deployments: {{ .Capabilities.APIVersions.Has "apps/v1/Deployment" | quote }}
                spec:
                  maxUnavailable: 1
                  selector:
                    matchLabels: {app: hello-app}
                """);
    }

    private static Job migrateJob(TestCluster cluster) {
        return cluster.client().batch().v1().jobs().withName("hello-migrate").get();
    }

    private static Map<Long, ReplicaSet> replicaSets(TestCluster cluster) {
        Map<Long, ReplicaSet> out = new TreeMap<>();
        for (ReplicaSet rs : cluster.client().apps().replicaSets().list().getItems()) {
            out.put(Long.parseLong(rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")), rs);
        }
        return out;
    }

    private static String digestOn(String table, String rowStart) {
        String line =
                table.lines().filter(l -> l.startsWith(rowStart)).findFirst().orElseThrow();
        int at = line.indexOf("values ") + "values ".length();
        return line.substring(at, at + 12);
    }

    private String lockstepHistory(TestCluster cluster, GitRepoFixture repo) throws Exception {
        Path config = tmp.resolve("lockstep.yaml");
        Files.writeString(
                config, """
                stateNamespace: %s
                cacheDir: %s
                apps:
                  - name: hello
                    repo: {url: "%s"}
                    path: app
                    namespace: %s
                    render:
                      engine: auto
                      helm:
                        valuesFiles: [../env/hello.yaml]
                        values: {replicaCount: 2}
                """.formatted(cluster.namespace(), tmp.resolve("cli-cache"), repo.url(), cluster.namespace()));
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
}
