package dev.lockstep.reconcile.engine;

import static dev.lockstep.testing.HelloApp.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.cli.Main;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RolloutWaits;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team moving to Lockstep: hello-app was deployed with plain (client-side) {@code kubectl apply}, with an env var and
 * a label git no longer has. Lockstep takes over kubectl's fields, so both go on its first apply, and says so first.
 */
@RealCluster
class AdoptionIT {
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
    void fieldsKubectlAppliedThatGitDoesNotHaveAreShownByDiffThenRemovedAndARevertStillReuses(TestCluster cluster)
            throws Exception {
        String ns = cluster.namespace();
        kubectlApply(cluster, legacyDeployment());
        RolloutWaits.awaitRolloutComplete(cluster.client(), ns, "hello-app");
        assertThat(managers(helloApp(cluster))).contains("kubectl-client-side-apply");

        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1"));
        String v1 = repo.commit("hello-app v1");
        Path config = TestApps.writeConfigFile(tmp, ns, repo);

        CliRun diff = cli(cluster, "diff", "--config", config.toString());
        assertThat(diff.code()).as(diff.out() + diff.err()).isEqualTo(1);
        assertThat(diff.out())
                .contains("takes over the fields of kubectl-client-side-apply")
                .contains("metadata.labels.legacy")
                .contains("spec.template.spec.containers[name=hello].env[name=LEGACY_FLAG]")
                .containsPattern("(?m)^-\\s+legacy: 'true'$")
                .containsPattern("(?m)^-\\s+- name: LEGACY_FLAG$");
        assertThat(helloApp(cluster).getMetadata().getLabels())
                .as("diff writes nothing")
                .containsEntry("legacy", "true");

        lockstepClient =
                new KubernetesClientBuilder().withConfig(cluster.config()).build();
        engine = TestApps.engine(
                TestApps.config(TestApps.hello(repo, ns), tmp.resolve("cache")),
                lockstepClient,
                ReconcileListener.NONE);
        AppReconciler app = engine.apps().get(0);
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        Deployment adopted = helloApp(cluster);
        assertThat(adopted.getMetadata().getLabels()).doesNotContainKey("legacy");
        assertThat(adopted.getMetadata().getAnnotations())
                .doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration");
        assertThat(adopted.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .isNullOrEmpty();
        assertThat(managers(adopted))
                .doesNotContain("kubectl-client-side-apply")
                .contains("lockstep");
        awaitHealthyAt(app, v1);
        CliRun after = cli(cluster, "diff", "--config", config.toString());
        assertThat(after.out()).as("nothing left to take over or change").isEmpty();
        assertThat(after.code()).isZero();

        // Someone runs the old client-side kubectl apply again (label only): drift, healed by taking over again.
        kubectlApply(cluster, legacyDeployment().replace("""
                          env:
                            - {name: LEGACY_FLAG, value: "on"}
                """, ""));
        assertThat(helloApp(cluster).getMetadata().getLabels()).containsEntry("legacy", "true");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            app.reconcile();
            Deployment healed = helloApp(cluster);
            assertThat(healed.getMetadata().getLabels()).doesNotContainKey("legacy");
            assertThat(managers(healed)).doesNotContain("kubectl-client-side-apply");
        });
        assertThat(helloApp(cluster).getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision", "2");

        repo.write("app/deployment.yaml", deployment("080196/hello-app:v2"));
        String v2 = repo.commit("image v2");
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        awaitHealthyAt(app, v2);
        String revert = repo.revert(v2);
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        awaitHealthyAt(app, revert);

        CliRun history = cli(cluster, "history", "--config", config.toString(), "hello-app");
        assertThat(history.out().lines().toList())
                .as(history.out())
                .anySatisfy(l -> assertThat(l)
                        .startsWith("4 (was 2) ")
                        .endsWith("rolled back to 2 (" + v1.substring(0, 7) + ")"));
    }

    private static String legacyDeployment() {
        return deployment("080196/hello-app:v1")
                .replace("  labels: {app: hello-app}\nspec:", "  labels: {app: hello-app, legacy: \"true\"}\nspec:")
                .replace("          ports:\n", """
                          env:
                            - {name: LEGACY_FLAG, value: "on"}
                          ports:
                """);
    }

    private void kubectlApply(TestCluster cluster, String manifest) throws Exception {
        Path file = tmp.resolve("legacy.yaml");
        Files.writeString(file, manifest);
        Process p = new ProcessBuilder(
                        "kubectl",
                        "--kubeconfig",
                        cluster.kubeconfig().toString(),
                        "-n",
                        cluster.namespace(),
                        "apply",
                        "-f",
                        file.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("kubectl apply: " + output).isZero();
    }

    private static Deployment helloApp(TestCluster cluster) {
        return cluster.client().apps().deployments().withName("hello-app").get();
    }

    private static List<String> managers(Deployment d) {
        return d.getMetadata().getManagedFields().stream()
                .map(ManagedFieldsEntry::getManager)
                .toList();
    }

    private static void awaitHealthyAt(AppReconciler app, String commit) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    app.refreshRollouts();
                    assertThat(app.status().commit()).isEqualTo(commit);
                    assertThat(app.status().health())
                            .as(app.status().toString())
                            .isEqualTo(AppHealth.HEALTHY);
                });
    }

    private record CliRun(int code, String out, String err) {}

    private static CliRun cli(TestCluster cluster, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--kubeconfig";
        all[args.length + 1] = cluster.kubeconfig().toString();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), all);
        return new CliRun(code, out.toString(), err.toString());
    }
}
