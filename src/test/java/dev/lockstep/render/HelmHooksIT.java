package dev.lockstep.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.AppSpec;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.ObservedEngine;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm hook stages wait like Argo CD's sync phases, on the local 1.20 control plane with its real Job controller: a
 * pre-upgrade hook Job that succeeds comes before the Deployment's new revision; one that fails stalls the commit,
 * naming the hook and its template, and the Deployment stays at the old revision.
 */
@RealCluster
class HelmHooksIT {
    @TempDir
    Path tmp;

    private final ObservedEngine engine = new ObservedEngine();
    private final LogCapture log = new LogCapture("dev.lockstep");

    @AfterEach
    void stop() {
        engine.close();
        log.close();
    }

    @Test
    void thePreUpgradeHookJobCompletesBeforeTheDeploymentRollsOutAndAFailedOneStallsTheCommit(TestCluster cluster)
            throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        writeChart(repo);
        repo.write("app/values.yaml", "image:\n  tag: v1\n");
        repo.commit("hello chart, image v1");
        cluster.failJobImages(".*/hello-migrate:v3");
        AppSpec spec = AppSpecs.withRender(
                TestApps.hello(repo, cluster.namespace()),
                new RenderSpec(
                        RenderEngine.AUTO,
                        KustomizeSpec.DEFAULT,
                        new HelmSpec(Optional.empty(), List.of(), Map.of(), false, Duration.ofSeconds(60)),
                        false));
        AppReconciler app = engine.start(cluster, spec, tmp.resolve("cache"));

        assertThat(app.reconcile()).as(app.status().toString()).isEqualTo(PassOutcome.APPLIED);
        assertThat(migrateJob(cluster).getStatus().getSucceeded())
                .as("the pre-install hook ran to its end within the pass")
                .isEqualTo(1);

        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (Watch jobs = cluster.client().batch().v1().jobs().watch(recorder(seen));
                Watch deployments = cluster.client().apps().deployments().watch(recorder(seen))) {
            repo.write("app/values.yaml", "image:\n  tag: v2\n");
            repo.commit("image v2");
            assertThat(app.reconcile()).as(app.status().toString()).isEqualTo(PassOutcome.APPLIED);

            // resourceVersions come from one etcd, so they order writes to Jobs and Deployments alike
            Predicate<HasMetadata> hookComplete = o -> o instanceof Job job
                    && image(job.getSpec().getTemplate().getSpec()).endsWith("hello-migrate:v2")
                    && job.getStatus() != null
                    && job.getStatus().getConditions().stream()
                            .anyMatch(c -> c.getType().equals("Complete")
                                    && c.getStatus().equals("True"));
            Predicate<HasMetadata> deploymentV2 = o -> o instanceof Deployment d
                    && image(d.getSpec().getTemplate().getSpec()).endsWith("hello-app:v2");
            // the pass saw both through its own watch; this test's watch may deliver them a moment later
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(
                                    List.of(firstVersion(seen, hookComplete), firstVersion(seen, deploymentV2)))
                            .as("a complete v2 hook Job and a v2 Deployment among " + seen)
                            .allMatch(OptionalLong::isPresent));
            assertThat(firstVersion(seen, hookComplete).getAsLong())
                    .as("the hook Job completed before the Deployment got its new template: " + seen)
                    .isLessThan(firstVersion(seen, deploymentV2).getAsLong());
        }

        repo.write("app/values.yaml", "image:\n  tag: v3\n");
        String v3 = repo.commit("image v3, its migration fails");
        assertThat(app.reconcile()).as(app.status().toString()).isEqualTo(PassOutcome.STALLED);

        String why = "hook Job hello-migrate (app/templates/migrate.yaml, pre-install,pre-upgrade) failed:"
                + " BackoffLimitExceeded";
        assertThat(app.status().health()).isEqualTo(AppHealth.STALLED);
        assertThat(app.status().errors())
                .anySatisfy(e -> assertThat(e).contains(v3.substring(0, 7)).contains(why));
        assertThat(image(cluster.client()
                        .apps()
                        .deployments()
                        .withName("hello-app")
                        .get()
                        .getSpec()
                        .getTemplate()
                        .getSpec()))
                .as("the Deployment stays at the old revision")
                .isEqualTo("080196/hello-app:v2");
        assertThat(cluster.client()
                        .apps()
                        .deployments()
                        .withName("hello-app")
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision", "2");
        assertThat(engine.registry().find("lockstep.commits.rejected").counter().count())
                .isEqualTo(1);
        assertThat(log.lines())
                .anySatisfy(l ->
                        assertThat(l).startsWith("ERROR app hello: commit ").contains(why));
        assertThat(app.reconcile())
                .as("the same head again: not retried until a new commit")
                .isEqualTo(PassOutcome.STALLED);
    }

    private static <T extends HasMetadata> Watcher<T> recorder(List<Seen> seen) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T resource) {
                seen.add(new Seen(Long.parseLong(resource.getMetadata().getResourceVersion()), resource));
            }

            @Override
            public void onClose(WatcherException cause) {}
        };
    }

    private static OptionalLong firstVersion(List<Seen> seen, Predicate<HasMetadata> matches) {
        return seen.stream()
                .filter(s -> matches.test(s.object()))
                .mapToLong(Seen::resourceVersion)
                .min();
    }

    private static String image(io.fabric8.kubernetes.api.model.PodSpec pod) {
        return pod.getContainers().get(0).getImage();
    }

    private static Job migrateJob(TestCluster cluster) {
        return cluster.client().batch().v1().jobs().withName("hello-migrate").get();
    }

    private record Seen(long resourceVersion, HasMetadata object) {
        @Override
        public String toString() {
            return object.getKind() + "/" + object.getMetadata().getName() + "@" + resourceVersion;
        }
    }

    private static void writeChart(GitRepoFixture repo) {
        HelloChart.write(repo, "080196/hello-migrate");
    }
}
