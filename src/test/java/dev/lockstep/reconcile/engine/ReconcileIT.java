package dev.lockstep.reconcile.engine;

import static dev.lockstep.testing.HelloApp.configMap;
import static dev.lockstep.testing.HelloApp.deployment;
import static dev.lockstep.testing.HelloApp.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.cluster.KubeCluster;
import dev.lockstep.cluster.LiveCache;
import dev.lockstep.config.AppSpec;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RequestCounter;
import dev.lockstep.testing.RolloutWaits;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconcile loop's main job, pass by pass, against a real API server and real git repositories. */
@RealCluster
class ReconcileIT {
    @TempDir
    Path tmp;

    private final RequestCounter requests = new RequestCounter();
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

    /**
     * The app on an engine whose every request is counted, the watch cache's own clients' included. Its watches are
     * probed for a stall every 10 minutes, not every minute: a probe is no part of a pass, and would only land in one
     * of the counted windows by chance.
     */
    private AppReconciler start(TestCluster cluster, GitRepoFixture repo, Function<AppSpec, AppSpec> tweak) {
        lockstepClient = requests.client(cluster.config());
        AppSpec app = tweak.apply(TestApps.hello(repo, cluster.namespace()));
        LiveCache watches =
                new LiveCache(requests.connections(cluster.config()), Duration.ofSeconds(60), Duration.ofMinutes(10));
        engine = new Engine(
                TestApps.config(app, tmp.resolve("cache")),
                KubeCluster.connect(lockstepClient, watches, cluster.namespace()),
                ReconcileListener.NONE,
                Clock.systemUTC());
        return engine.apps().get(0);
    }

    private static Deployment helloApp(TestCluster cluster) {
        return cluster.client().apps().deployments().withName("hello-app").get();
    }

    private static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static void awaitHealthy(AppReconciler app) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    app.refreshRollouts();
                    assertThat(app.status().health())
                            .as(app.status().toString())
                            .isEqualTo(AppHealth.HEALTHY);
                });
    }

    @Test
    void appliesHelloAppThenRollsOutV2AndAQuietPassMakesNoRequest(TestCluster cluster) {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1")).write("app/service.yaml", service(31000));
        String v1 = repo.commit("hello-app v1");
        AppReconciler app = start(cluster, repo, a -> a);

        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        RolloutWaits.awaitRolloutComplete(cluster.client(), cluster.namespace(), "hello-app");
        awaitHealthy(app);
        assertThat(app.status().commit()).isEqualTo(v1);
        assertThat(image(helloApp(cluster))).isEqualTo("080196/hello-app:v1");
        assertThat(helloApp(cluster).getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "lockstep")
                .containsEntry("lockstep.dev/app", "hello");
        var svc = cluster.client().services().withName("hello-app").get();
        assertThat(svc.getSpec().getPorts().get(0).getNodePort()).isEqualTo(31000);

        repo.write("app/deployment.yaml", deployment("080196/hello-app:v2"));
        String v2 = repo.commit("image v2");
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        RolloutWaits.awaitRolloutComplete(cluster.client(), cluster.namespace(), "hello-app");
        awaitHealthy(app);
        assertThat(image(helloApp(cluster))).isEqualTo("080196/hello-app:v2");
        assertThat(app.status().commit()).isEqualTo(v2);
        assertThat(app.status().subject()).isEqualTo("image v2");
        assertThat(app.status()
                        .deployments()
                        .get(cluster.namespace() + "/hello-app")
                        .message())
                .isEqualTo("deployment \"hello-app\" successfully rolled out");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> !engine.cluster()
                        .live()
                        .isStale(dev.lockstep.model.ResourceKey.of(
                                "apps/v1", "Deployment", cluster.namespace(), "hello-app")));
        assertThat(requests.all())
                .as("the counter sees the watch cache's requests")
                .anyMatch(r -> r.startsWith("GET ") && r.contains("watch=true") && r.contains("/deployments"));
        requests.reset();
        assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);
        app.refreshRollouts();
        assertThat(requests.writes())
                .as("write requests in a pass with no new commit")
                .isEmpty();
        assertThat(requests.all())
                .as("any request in a pass with no new commit")
                .isEmpty();

        // A commit that leaves every manifest as it was: no dry run per object, only the app's record moves on.
        repo.write("app/README.md", "hello-app manifests");
        String docs = repo.commit("docs only");
        requests.reset();
        assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);
        assertThat(app.status().commit()).isEqualTo(docs);
        assertThat(requests.writes()).singleElement().asString().contains("/configmaps/lockstep-app-hello");
    }

    @Test
    void refusesARevisionThatWritesIntoKubeSystem(TestCluster cluster) {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1"))
                .write(
                        "app/evil.yaml",
                        configMap("evil", "x").replace("name: evil", "name: evil\n  namespace: kube-system"));
        repo.commit("sneak into kube-system");
        AppReconciler app = start(cluster, repo, a -> a);

        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);

        assertThat(app.status().health()).isEqualTo(AppHealth.STALLED);
        assertThat(String.join("\n", app.status().errors()))
                .contains("app/evil.yaml:1")
                .contains("kube-system")
                .contains("allowedNamespaces");
        assertThat(helloApp(cluster))
                .as("nothing from the refused revision is applied")
                .isNull();
        assertThat(cluster.client()
                        .configMaps()
                        .inNamespace("kube-system")
                        .withName("evil")
                        .get())
                .isNull();
    }

    @Test
    void aMalformedFileBlocksTheWholeCommitUntilAGoodOne(TestCluster cluster) {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1"))
                .write("app/config.yaml", configMap("settings", "one"));
        String good = repo.commit("v1");
        AppReconciler app = start(cluster, repo, a -> a);
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        repo.write("app/deployment.yaml", deployment("080196/hello-app:v2"))
                .write("app/config.yaml", configMap("settings", "two"))
                .write("app/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken\ndata: {}\n");
        String bad = repo.commit("v2 with a typo");
        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);

        assertThat(String.join("\n", app.status().errors()))
                .contains("commit " + bad.substring(0, 7))
                .contains("app/broken.yaml:");
        assertThat(app.status().commit()).isEqualTo(good);
        assertThat(image(helloApp(cluster)))
                .as("nothing of the bad commit is applied")
                .isEqualTo("080196/hello-app:v1");
        assertThat(cluster.client().configMaps().withName("settings").get().getData())
                .containsEntry("value", "one");
        assertThat(app.reconcile()).as("the same bad commit is not retried").isEqualTo(PassOutcome.STALLED);

        repo.delete("app/broken.yaml");
        String fixed = repo.commit("fix the typo");
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(image(helloApp(cluster))).isEqualTo("080196/hello-app:v2");
        assertThat(cluster.client().configMaps().withName("settings").get().getData())
                .containsEntry("value", "two");
        assertThat(app.status().commit()).isEqualTo(fixed);
        assertThat(app.status().errors()).isEmpty();
    }

    @Test
    void prunesRemovedFilesButNeverAnEmptiedOrMissingPath(TestCluster cluster) throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1"))
                .write("app/a.yaml", configMap("a", "1"))
                .write("app/b.yaml", configMap("b", "2"))
                .write(
                        "app/keep.yaml",
                        configMap("keep", "3")
                                .replace("name: keep", "name: keep\n  annotations: {lockstep.dev/prune: disabled}"))
                .write("app/README.md", "hello-app manifests");
        repo.commit("four objects");
        AppReconciler app = start(cluster, repo, a -> a);
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        repo.delete("app/b.yaml").delete("app/keep.yaml");
        repo.commit("drop b and keep");
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(cluster.client().configMaps().withName("b").get())
                .as("b is pruned")
                .isNull();
        assertThat(cluster.client().configMaps().withName("keep").get())
                .as("opted out of prune")
                .isNotNull();
        assertThat(cluster.client().configMaps().withName("a").get()).isNotNull();

        repo.delete("app/deployment.yaml").delete("app/a.yaml");
        String emptied = repo.commit("remove every manifest");
        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);
        assertThat(String.join("\n", app.status().errors()))
                .contains("commit " + emptied.substring(0, 7))
                .contains("has no objects under 'app'")
                .contains("refusing to prune");
        assertThat(helloApp(cluster)).isNotNull();
        assertThat(cluster.client().configMaps().withName("a").get()).isNotNull();

        repo.delete("app");
        repo.write("other/notes.txt", "moved away");
        repo.commit("delete the whole path");
        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);
        assertThat(String.join("\n", app.status().errors()))
                .contains("path 'app' does not exist")
                .contains("nothing pruned");
        assertThat(helloApp(cluster)).isNotNull();
        assertThat(cluster.client().configMaps().withName("a").get()).isNotNull();
        assertThat(Files.exists(repo.dir().resolve("app"))).isFalse();
    }

    @Test
    void survivesTheGitRemoteGoingAwayWithoutDeletingAnything(TestCluster cluster) throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1")).write("app/a.yaml", configMap("a", "1"));
        String v1 = repo.commit("v1");
        AppReconciler app = start(cluster, repo, a -> a);
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        Path away = tmp.resolve("repo-away");
        Files.move(repo.dir(), away);
        assertThat(app.reconcile()).isEqualTo(PassOutcome.RETRY);
        assertThat(app.status().health()).isEqualTo(AppHealth.ERROR);
        assertThat(app.status().message()).startsWith("git: ").contains("nothing is pruned");
        assertThat(helloApp(cluster)).isNotNull();
        assertThat(cluster.client().configMaps().withName("a").get()).isNotNull();

        Files.move(away, repo.dir());
        assertThat(app.reconcile()).isIn(PassOutcome.UNCHANGED, PassOutcome.APPLIED);
        assertThat(app.status().errors()).isEmpty();
        assertThat(app.status().commit()).isEqualTo(v1);
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v2"));
        repo.commit("v2 after the outage");
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(image(helloApp(cluster))).isEqualTo("080196/hello-app:v2");
    }

    @Test
    void aCommitThatChangesOnlyMetadataDoesNotRelabelTheCurrentRevision(TestCluster cluster) {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1"));
        String v1 = repo.commit("hello-app v1");
        AppReconciler app = start(cluster, repo, a -> a);
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        RolloutWaits.awaitRolloutComplete(cluster.client(), cluster.namespace(), "hello-app");

        repo.write(
                "app/deployment.yaml",
                deployment("080196/hello-app:v1")
                        .replace(
                                "labels: {app: hello-app}\nspec:",
                                "labels: {app: hello-app, team: web}\n  annotations: {owner: web-team}\nspec:"));
        String relabel = repo.commit("label the deployment");
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        Deployment d = helloApp(cluster);
        assertThat(d.getMetadata().getLabels()).containsEntry("team", "web");
        assertThat(d.getMetadata().getAnnotations())
                .containsEntry("owner", "web-team")
                .containsEntry("deployment.kubernetes.io/revision", "1")
                .containsEntry("kubernetes.io/change-cause", v1.substring(0, 7) + " hello-app v1")
                .containsEntry("lockstep.dev/commit", v1);
        assertThat(app.status().commit()).isEqualTo(relabel);
        var replicaSets = cluster.client().apps().replicaSets().list().getItems();
        assertThat(replicaSets).hasSize(1);
        assertThat(replicaSets.get(0).getMetadata().getAnnotations()).containsEntry("lockstep.dev/commit", v1);
    }
}
