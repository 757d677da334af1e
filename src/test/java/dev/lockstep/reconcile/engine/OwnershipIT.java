package dev.lockstep.reconcile.engine;

import static dev.lockstep.testing.HelloApp.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two apps in one config declare ConfigMap "shared" (a copy-paste): the first keeps it, the second is refused. */
@RealCluster
class OwnershipIT {
    @TempDir
    Path tmp;

    private KubernetesClient lockstepClient;
    private Engine engine;
    private ReconcileLoop loop;

    @AfterEach
    void close() {
        if (loop != null) {
            loop.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (lockstepClient != null) {
            lockstepClient.close();
        }
    }

    private static AppSpec app(String name, GitRepoFixture repo, String namespace) {
        AppSpec hello = TestApps.hello(repo, namespace);
        return AppSpecs.of(
                name,
                new RepoSpec(repo.url(), "main"),
                name,
                namespace,
                Duration.ofMillis(300),
                true,
                true,
                hello.allowedNamespaces(),
                hello.allowedClusterKinds(),
                0.5,
                false);
    }

    @Test
    void anObjectAnotherAppOwnsIsRefusedNamingBothAndNeverWritten(TestCluster cluster) throws Exception {
        String ns = cluster.namespace();
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("front/shared.yaml", configMap("shared", "from front"))
                .write("front/own.yaml", configMap("front-only", "x"))
                .write("back/shared.yaml", configMap("shared", "from back"))
                .write("back/own.yaml", configMap("back-only", "y"));
        String commit = repo.commit("two apps, one copy-pasted ConfigMap");
        lockstepClient =
                new KubernetesClientBuilder().withConfig(cluster.config()).build();
        RecordingListener events = new RecordingListener();
        engine = TestApps.engine(
                new LockstepConfig(
                        List.of(app("front", repo, ns), app("back", repo, ns)),
                        tmp.resolve("cache"),
                        ns,
                        0,
                        Optional.empty(),
                        8),
                lockstepClient,
                events);
        AppReconciler front = engine.apps().get(0);
        AppReconciler back = engine.apps().get(1);

        assertThat(front.reconcile()).isEqualTo(PassOutcome.APPLIED);
        // back's pass retries (writing nothing) while the shared watch cache has not yet delivered front's writes
        await("back refused").atMost(Duration.ofSeconds(30)).until(() -> back.reconcile() == PassOutcome.STALLED);

        String refusal = "ConfigMap/" + ns + "/shared belongs to app front (its lockstep.dev/app label and app front's"
                + " inventory); app back may not take it";
        assertThat(back.status().errors())
                .anySatisfy(e -> assertThat(e)
                        .contains(commit.substring(0, 7))
                        .contains("back/shared.yaml")
                        .contains(refusal));
        assertThat(back.status().health()).isEqualTo(AppHealth.STALLED);
        assertThat(cluster.client().configMaps().withName("back-only").get())
                .as("all or nothing: none of back's commit is applied")
                .isNull();
        ConfigMap shared = cluster.client().configMaps().withName("shared").get();
        assertThat(shared.getData()).containsEntry("value", "from front");
        assertThat(shared.getMetadata().getLabels()).containsEntry("lockstep.dev/app", "front");

        // Both apps run on the daemon's loop for 10 s: the object is never written again.
        loop = new ReconcileLoop(engine.apps(), new Random(1), name -> true, name -> 0L);
        loop.start();
        int passesBefore = events.passes();
        Set<String> versions = new LinkedHashSet<>();
        List<String> data = new ArrayList<>();
        Instant end = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(end)) {
            ConfigMap now = cluster.client().configMaps().withName("shared").get();
            versions.add(now.getMetadata().getResourceVersion());
            data.add(now.getData().get("value"));
            Thread.sleep(100);
        }
        assertThat(events.passes() - passesBefore)
                .as("passes of the two apps during the 10 s")
                .isGreaterThanOrEqualTo(20);
        assertThat(versions)
                .as("resourceVersions of ConfigMap shared over 10 s (one = no write)")
                .containsExactly(shared.getMetadata().getResourceVersion());
        assertThat(data).containsOnly("from front");
        assertThat(events.events()).noneMatch(e -> e.startsWith("drift shared"));
        assertThat(back.status().errors()).anySatisfy(e -> assertThat(e).contains(refusal));
        assertThat(front.status().health()).isEqualTo(AppHealth.HEALTHY);
    }

    /**
     * Holds each app's write of ConfigMap "shared" until the other's is on its way too: both passes planned a create
     * (neither saw the object), and both writes reach the server together, the race issue 19 reproduced.
     */
    private static final class RacingWrites implements Interceptor {
        private final CyclicBarrier both = new CyclicBarrier(2);
        private final AtomicInteger held = new AtomicInteger();

        @Override
        public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            String query = request.uri().getRawQuery();
            if (request.method().equals("PATCH")
                    && request.uri().getPath().endsWith("/configmaps/shared")
                    && (query == null || !query.contains("dryRun"))
                    && held.incrementAndGet() <= 2) {
                try {
                    both.await(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // the other app never wrote: let this one go on alone
                }
            }
        }
    }

    @Test
    void twoAppsCreatingOneObjectInTheirFirstPassWriteItOnceAndOneErrorNamesBoth(TestCluster cluster) throws Exception {
        String ns = cluster.namespace();
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("front/shared.yaml", configMap("shared", "from front"))
                .write("back/shared.yaml", configMap("shared", "from back"));
        repo.commit("two apps, one copy-pasted ConfigMap, both new");
        RacingWrites race = new RacingWrites();
        lockstepClient = new KubernetesClientBuilder()
                .withConfig(cluster.config())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("racing-writes", race))
                .build();
        engine = TestApps.engine(
                new LockstepConfig(
                        List.of(app("front", repo, ns), app("back", repo, ns)),
                        tmp.resolve("cache"),
                        ns,
                        0,
                        Optional.empty(),
                        8),
                lockstepClient,
                new RecordingListener());
        AppReconciler front = engine.apps().get(0);
        AppReconciler back = engine.apps().get(1);
        List<String> writes = new CopyOnWriteArrayList<>();
        try (Watch watch = cluster.client().configMaps().withName("shared").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
                if (action == Action.ADDED || action == Action.MODIFIED) {
                    writes.add(action + " " + cm.getMetadata().getLabels().get("lockstep.dev/app") + " "
                            + cm.getMetadata().getResourceVersion());
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        })) {
            // Both apps' first passes at once: each plans a create, and their writes go out together.
            ExecutorService firstPasses = Executors.newFixedThreadPool(2);
            try {
                Future<PassOutcome> f = firstPasses.submit(front::reconcile);
                Future<PassOutcome> b = firstPasses.submit(back::reconcile);
                System.out.printf(
                        "ownership: first passes: front %s, back %s%n",
                        f.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
            } finally {
                firstPasses.shutdown();
            }

            // Then both run on the daemon's loop for 30 s.
            loop = new ReconcileLoop(engine.apps(), new Random(1), name -> true, name -> 0L);
            loop.start();
            Thread.sleep(30_000);
            loop.close();
            loop = null;

            System.out.printf(
                    "ownership: writes of ConfigMap shared over the first passes and 30 s after: %s%n", writes);
            assertThat(writes).as("writes of ConfigMap shared (watch events)").hasSize(1);
            ConfigMap shared = cluster.client().configMaps().withName("shared").get();
            String owner = shared.getMetadata().getLabels().get("lockstep.dev/app");
            String loser = owner.equals("front") ? "back" : "front";
            assertThat(shared.getData()).containsEntry("value", "from " + owner);
            List<String> namingBoth = new ArrayList<>();
            for (AppReconciler a : List.of(front, back)) {
                a.status().errors().stream()
                        .filter(e -> e.contains("app front") && e.contains("app back"))
                        .forEach(namingBoth::add);
            }
            System.out.printf("ownership: errors naming both apps: %s%n", namingBoth);
            assertThat(namingBoth)
                    .singleElement()
                    .asString()
                    .contains("ConfigMap/" + ns + "/shared belongs to app " + owner)
                    .contains("app " + loser + " may not take it");
            AppReconciler winner = owner.equals("front") ? front : back;
            assertThat(winner.status().errors()).isEmpty();
            assertThat(winner.status().health()).isEqualTo(AppHealth.HEALTHY);
        }
    }
}
