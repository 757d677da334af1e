package dev.lockstep.render;

import static dev.lockstep.testing.AppWaits.awaitHealthyAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cli.Main;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.ConfigLoader;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.InProcessDaemon;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kustomize story on a real API server and Deployment controller: an overlay with a configMapGenerator, an
 * {@code images:} tag and a strategic-merge patch; a commit that changes only the tag rolls out; its {@code git
 * revert} reuses the old ReplicaSet exactly as for plain files, and a generated ConfigMap that a reverted template
 * names again exists again.
 */
@RealCluster
class KustomizeStoryIT {
    private static final Duration ROLLOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private KubernetesClient client;
    private InProcessDaemon daemon;
    private final RecordingListener events = new RecordingListener();

    @BeforeEach
    void kustomize() {
        RendererTest.assumeKustomize();
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void anImagesOnlyCommitRollsOutAndItsRevertReusesTheOldReplicaSet(TestCluster cluster) throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        OverlayRepo.write(repo, "v1", "hello");
        String v1 = repo.commit("web v1");
        Path config = config(cluster, repo);
        AppSpec spec = new ConfigLoader().load(config).apps().get(0);
        client = new KubernetesClientBuilder().withConfig(cluster.config()).build();
        daemon = new InProcessDaemon(client, tmp.resolve("cache"), events);
        AppReconciler app = daemon.restart(spec);
        awaitHealthyAt(app, v1, cluster, ROLLOUT);

        Deployment web = deployment(cluster);
        String configMapV1 = configMapNamed(web);
        assertThat(configMapV1).matches("prod-web-config-[a-z0-9]{10}");
        assertThat(configMaps(cluster)).contains(configMapV1);
        assertThat(web.getSpec().getReplicas())
                .as("the overlay's strategic-merge patch")
                .isEqualTo(2);
        assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example.com/web:v1");
        assertThat(web.getMetadata().getAnnotations())
                .containsEntry("lockstep.dev/commit", v1)
                .hasEntrySatisfying(
                        "lockstep.dev/rendered-by", v -> assertThat(v).startsWith("kustomize v"))
                .doesNotContainKey("config.kubernetes.io/origin");
        String rs1 = replicaSets(cluster).get(1L).getMetadata().getName();

        // v2 changes only the overlay's images: tag
        OverlayRepo.write(repo, "v2", "hello");
        String v2 = repo.commit("web v2");
        awaitHealthyAt(app, v2, cluster, ROLLOUT);
        Map<Long, ReplicaSet> afterV2 = replicaSets(cluster);
        assertThat(afterV2).containsOnlyKeys(1L, 2L);
        assertThat(afterV2.get(2L)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("registry.example.com/web:v2");
        assertThat(afterV2.get(2L).getMetadata().getAnnotations()).containsEntry("lockstep.dev/commit", v2);
        assertThat(configMapNamed(deployment(cluster)))
                .as("the generator's input did not change")
                .isEqualTo(configMapV1);

        // git revert v2: revision 1's ReplicaSet comes back as revision 3, no new ReplicaSet
        String revert = repo.revert(v2);
        awaitHealthyAt(app, revert, cluster, ROLLOUT);
        Map<Long, ReplicaSet> afterRevert = replicaSets(cluster);
        assertThat(afterRevert).containsOnlyKeys(2L, 3L);
        assertThat(afterRevert.get(3L).getMetadata().getName())
                .as("the v1 ReplicaSet, reused")
                .isEqualTo(rs1);
        assertThat(afterRevert.get(3L).getMetadata().getAnnotations())
                .containsEntry("lockstep.dev/commit", revert)
                .containsEntry("lockstep.dev/rollback-of", v1)
                .containsEntry("deployment.kubernetes.io/revision-history", "1");

        // v4 changes the generator's input: a new hash-suffixed ConfigMap, a new revision, the old ConfigMap pruned
        OverlayRepo.write(repo, "v1", "bonjour");
        String v4 = repo.commit("greeting bonjour");
        awaitHealthyAt(app, v4, cluster, ROLLOUT);
        String configMapV4 = configMapNamed(deployment(cluster));
        assertThat(configMapV4).isNotEqualTo(configMapV1).matches("prod-web-config-[a-z0-9]{10}");
        assertThat(configMaps(cluster))
                .as("no revision of git names the old generated ConfigMap: pruned, as prune: true allows")
                .contains(configMapV4)
                .doesNotContain(configMapV1);
        Map<Long, ReplicaSet> afterV4 = replicaSets(cluster);
        assertThat(afterV4).containsKey(4L);

        // git revert v4: the template names the first ConfigMap again, which exists again, and revision 3's RS is
        // reused
        String revert4 = repo.revert(v4);
        awaitHealthyAt(app, revert4, cluster, ROLLOUT);
        assertThat(configMapNamed(deployment(cluster))).isEqualTo(configMapV1);
        assertThat(configMaps(cluster)).contains(configMapV1).doesNotContain(configMapV4);
        assertThat(replicaSets(cluster).get(5L).getMetadata().getName()).isEqualTo(rs1);

        String history = cli(cluster, config, "history", "prod-web");
        assertThat(history)
                .as("read as for plain files, plus the engine: revision 5 is the v1 ReplicaSet, reused twice")
                .contains("RENDERED BY")
                .contains(v2.substring(0, 7), v4.substring(0, 7), revert4.substring(0, 7))
                .containsPattern("5 \\(was 1,3\\) +" + rs1 + " +" + revert4.substring(0, 7))
                .contains("kustomize v");
        assertThat(app.reconcile())
                .as("nothing new: nothing rendered, nothing written")
                .isEqualTo(PassOutcome.UNCHANGED);
    }

    @Test
    void aRemoteBaseStallsTheCommitAndTheClusterStaysAsItWas(TestCluster cluster) throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        OverlayRepo.write(repo, "v1", "hello");
        String v1 = repo.commit("web v1");
        Path config = config(cluster, repo);
        AppSpec spec = new ConfigLoader().load(config).apps().get(0);
        client = new KubernetesClientBuilder().withConfig(cluster.config()).build();
        daemon = new InProcessDaemon(client, tmp.resolve("cache"), events);
        AppReconciler app = daemon.restart(spec);
        awaitHealthyAt(app, v1, cluster, ROLLOUT);

        repo.write(OverlayRepo.OVERLAY + "/kustomization.yaml", """
                resources:
                  - ../../base
                  - https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.5.0
                images:
                  - name: registry.example.com/web
                    newTag: v9
                """);
        String remote = repo.commit("add a remote base");
        org.awaitility.Awaitility.await()
                .atMost(ROLLOUT)
                .untilAsserted(() -> assertThat(app.status().errors())
                        .singleElement()
                        .asString()
                        .isEqualTo(
                                "commit " + remote.substring(0, 7) + ": " + OverlayRepo.OVERLAY + "/kustomization.yaml:"
                                        + " resources: 'https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.5.0'"
                                        + " is a remote base: Lockstep does not fetch remote bases unless the app sets"
                                        + " allowRemoteBases: true (then kustomize fetches it itself); or vendor it into the repository"
                                        + " (nothing applied, nothing pruned)"));
        assertThat(deployment(cluster)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .as("the cluster stays at the last good commit")
                .isEqualTo("registry.example.com/web:v1");
        assertThat(app.status().commit()).isEqualTo(v1);

        String render = cli(cluster, config, "render", "--app", "shop");
        assertThat(render).isEmpty();
    }

    private Path config(TestCluster cluster, GitRepoFixture repo) throws Exception {
        Path file = tmp.resolve("lockstep.yaml");
        Files.writeString(file, """
                stateNamespace: %s
                cacheDir: %s
                apps:
                  - name: shop
                    repo: {url: "%s"}
                    path: %s
                    namespace: %s
                """.formatted(
                cluster.namespace(), tmp.resolve("cli-cache"), repo.url(), OverlayRepo.OVERLAY, cluster.namespace()));
        return file;
    }

    private String cli(TestCluster cluster, Path config, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(args[0], "--config", config.toString()),
                        java.util.stream.Stream.concat(
                                args[0].equals("render")
                                        ? java.util.stream.Stream.<String>empty()
                                        : java.util.stream.Stream.of(
                                                "--kubeconfig",
                                                cluster.kubeconfig().toString()),
                                java.util.Arrays.stream(args, 1, args.length)))
                .toArray(String[]::new);
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), full);
        if (args[0].equals("render") && code == 3) {
            return out.toString(); // a refused render prints nothing on stdout; the test asserts that
        }
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    private static Deployment deployment(TestCluster cluster) {
        return cluster.client().apps().deployments().withName("prod-web").get();
    }

    private static String configMapNamed(Deployment d) {
        return d.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnvFrom()
                .get(0)
                .getConfigMapRef()
                .getName();
    }

    private static Set<String> configMaps(TestCluster cluster) {
        return cluster.client().configMaps().list().getItems().stream()
                .map(ConfigMap::getMetadata)
                .map(m -> m.getName())
                .collect(Collectors.toSet());
    }

    private static Map<Long, ReplicaSet> replicaSets(TestCluster cluster) {
        Map<Long, ReplicaSet> out = new TreeMap<>();
        for (ReplicaSet rs : cluster.client().apps().replicaSets().list().getItems()) {
            out.put(Long.parseLong(rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")), rs);
        }
        return out;
    }
}
