package dev.lockstep.reconcile.engine;

import static dev.lockstep.testing.HelloApp.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon on a directory with a kustomization.yaml beside its manifests, as most real repositories have. */
@RealCluster
class KustomizationIT {
    private static final String KUSTOMIZATION = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
            - cart.yaml
            - frontend.yaml
            """;

    @TempDir
    Path tmp;

    private KubernetesClient lockstepClient;
    private Engine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        if (lockstepClient != null) {
            lockstepClient.close();
        }
    }

    @Test
    void aPlainResourcesListIsAppliedAndAKustomizationToRenderStallsTheCommit(TestCluster cluster) {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/kustomization.yaml", KUSTOMIZATION)
                .write("app/cart.yaml", configMap("cart", "1"))
                .write("app/frontend.yaml", configMap("frontend", "1"))
                .write("app/scratch.yaml", configMap("scratch", "1"));
        String first = repo.commit("manifests with a kustomization");
        lockstepClient =
                new KubernetesClientBuilder().withConfig(cluster.config()).build();
        engine = TestApps.engine(
                TestApps.config(TestApps.hello(repo, cluster.namespace()), tmp.resolve("cache")),
                lockstepClient,
                ReconcileListener.NONE);
        AppReconciler app = engine.apps().get(0);

        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(app.status().commit()).isEqualTo(first);
        assertThat(cluster.client().configMaps().withName("cart").get()).isNotNull();
        assertThat(cluster.client().configMaps().withName("frontend").get()).isNotNull();
        assertThat(cluster.client().configMaps().withName("scratch").get())
                .as("not in the kustomization's resources: left out, as kustomize build would")
                .isNull();

        repo.write("app/kustomization.yaml", KUSTOMIZATION + "commonLabels: {team: shop}\n")
                .write("app/cart.yaml", configMap("cart", "2"));
        String second = repo.commit("label everything with kustomize");

        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);
        assertThat(app.status().errors())
                .singleElement()
                .asString()
                .isEqualTo("commit " + second.substring(0, 7) + ": app/kustomization.yaml:6: a kustomize Kustomization"
                        + " (kustomize.config.k8s.io/*) using 'commonLabels': Lockstep does not run kustomize. Commit"
                        + " the output of 'kustomize build app' as plain YAML instead, or keep this file to a plain"
                        + " resources: list of the manifest files beside it");
        assertThat(cluster.client().configMaps().withName("cart").get().getData())
                .as("the cluster stays at the last good commit")
                .containsEntry("value", "1");
    }
}
