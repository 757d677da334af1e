package dev.lockstep.reconcile.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.AppSpec;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custom resources are placed by what API discovery says about their scope, not by a guess. */
@RealCluster
class CustomResourceIT {
    @TempDir
    Path tmp;

    /** A cluster-scoped CRD of its own (CRDs are cluster-wide: one group per test), removed afterwards. */
    private static AutoCloseable clusterScopedWidgets(TestCluster cluster, String group) {
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("widgets." + group)
                .endMetadata()
                .withNewSpec()
                .withGroup(group)
                .withScope("Cluster")
                .withNewNames()
                .withKind("Widget")
                .withPlural("widgets")
                .withSingular("widget")
                .withListKind("WidgetList")
                .endNames()
                .addNewVersion()
                .withName("v1")
                .withServed(true)
                .withStorage(true)
                .withNewSchema()
                .withNewOpenAPIV3Schema()
                .withType("object")
                .withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema()
                .endSchema()
                .endVersion()
                .endSpec()
                .build();
        var crds = cluster.client().apiextensions().v1().customResourceDefinitions();
        crds.resource(crd).create();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> crds.withName("widgets." + group).get().getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Established")
                                && c.getStatus().equals("True")));
        return () -> crds.withName("widgets." + group).delete();
    }

    private GitRepoFixture widgetRepo(String group) {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write(
                "app/widget.yaml",
                "apiVersion: " + group + "/v1\nkind: Widget\nmetadata:\n  name: blue\nspec: {size: 3}\n");
        repo.commit("a cluster-scoped widget");
        return repo;
    }

    @Test
    void aClusterScopedCustomResourceIsRefusedUnlessItsKindIsAllowed(TestCluster cluster) throws Exception {
        String group = cluster.namespace() + ".lockstep.test";
        try (AutoCloseable crd = clusterScopedWidgets(cluster, group)) {
            AppSpec app = TestApps.hello(widgetRepo(group), cluster.namespace());
            try (Engine engine = TestApps.engine(
                    TestApps.config(app, tmp.resolve("cache")), cluster.client(), ReconcileListener.NONE)) {
                AppReconciler reconciler = engine.apps().get(0);
                assertThat(reconciler.reconcile()).isEqualTo(PassOutcome.STALLED);
                assertThat(String.join("\n", reconciler.status().errors()))
                        .contains("app/widget.yaml:1")
                        .contains("cluster-scoped kind Widget")
                        .contains("allowedClusterKinds");
            }
        }
    }

    @Test
    void anAllowedClusterScopedCustomResourceIsAppliedWithoutANamespace(TestCluster cluster) throws Exception {
        // Seen here: kube-apiserver 1.20.2 (built with Go 1.19) crashed with SIGSEGV in the apiextensions schema
        // coercer
        // while serving a server-side dry-run apply of a custom resource. Apply custom resources on newer servers only
        // (k3s, or LOCKSTEP_TEST_KUBECONFIG pointing at one).
        var version = cluster.client().getKubernetesVersion();
        Assumptions.assumeTrue(
                Integer.parseInt(version.getMinor().replaceAll("\\D", "")) >= 22,
                "kube-apiserver " + version.getGitVersion() + " crashes on dry-run applies of custom resources");
        String group = cluster.namespace() + ".lockstep.test";
        try (AutoCloseable crd = clusterScopedWidgets(cluster, group)) {
            AppSpec denied = TestApps.hello(widgetRepo(group), cluster.namespace());
            AppSpec allowed = AppSpecs.of(
                    denied.name(),
                    denied.repo(),
                    denied.path(),
                    denied.namespace(),
                    denied.interval(),
                    true,
                    true,
                    Set.of(),
                    Set.of("Widget"),
                    0.5,
                    false);
            try (Engine engine = TestApps.engine(
                    TestApps.config(allowed, tmp.resolve("cache")), cluster.client(), ReconcileListener.NONE)) {
                AppReconciler app = engine.apps().get(0);
                assertThat(app.reconcile()).as(app.status().toString()).isEqualTo(PassOutcome.APPLIED);
            }
            GenericKubernetesResource widget = cluster.client()
                    .genericKubernetesResources(group + "/v1", "Widget")
                    .withName("blue")
                    .get();
            assertThat(widget.getMetadata().getNamespace()).isNull();
            assertThat(widget.getMetadata().getLabels()).containsEntry("lockstep.dev/app", "hello");
        }
    }
}
