package dev.lockstep.reconcile.engine;

import static dev.lockstep.testing.HelloApp.configMap;
import static dev.lockstep.testing.HelloApp.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.cluster.KubeCluster;
import dev.lockstep.cluster.LiveCache;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.RequestCounter;
import dev.lockstep.testing.RolloutWaits;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon at rest on a busy cluster: Deployments and Secrets in other namespaces change several times a second, while
 * nothing Lockstep manages does. The watch cache's versions move only with the server's bookmarks then, and the
 * stalled-watch probe must follow them: probing from a version the server no longer keeps answers {@code 410 Gone},
 * and the kind would be listed again every minute.
 */
@RealCluster
class SteadyStateIT {
    private static final Logger log = LoggerFactory.getLogger(SteadyStateIT.class);
    private static final Duration QUIET = Duration.ofMinutes(2);
    /** Changes per second, Deployments and Secrets together, in the churning namespaces. */
    private static final int CHURN_PER_SECOND = 8;

    @TempDir
    Path tmp;

    @Test
    void aQuietDaemonOnAChurningClusterSendsNoListAndNoWriteForTwoMinutes(TestCluster cluster) throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("hello-app", "080196/hello-app:v1", 1));
        repo.write("app/settings.yaml", configMap("settings", "a"));
        repo.write(
                "app/secret.yaml",
                "apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {token: not-a-real-one}\n");
        repo.commit("hello-app v1");
        String churnNamespace =
                "t-churn-" + cluster.namespace().substring(cluster.namespace().length() - 5);
        RequestCounter requests = new RequestCounter();
        RecordingListener passes = new RecordingListener();
        ScheduledExecutorService churn = Executors.newSingleThreadScheduledExecutor();
        try (KubernetesClient client = requests.client(cluster.config())) {
            // the probe's production interval: one probe per kind and minute
            LiveCache watches = new LiveCache(
                    requests.connections(cluster.config()), Duration.ofSeconds(60), Duration.ofMinutes(1));
            Engine engine = new Engine(
                    TestApps.config(TestApps.hello(repo, cluster.namespace()), tmp.resolve("cache")),
                    KubeCluster.connect(client, watches, cluster.namespace()),
                    passes,
                    Clock.systemUTC());
            ReconcileLoop loop = new ReconcileLoop(engine.apps(), new Random(1), name -> true, name -> 0L);
            try (engine;
                    loop) {
                loop.start();
                await("hello applied")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> passes.outcomesSince(0).contains(PassOutcome.APPLIED));
                RolloutWaits.awaitRolloutComplete(cluster.client(), cluster.namespace(), "hello-app");
                ResourceKey helloApp = ResourceKey.of("apps/v1", "Deployment", cluster.namespace(), "hello-app");
                await().atMost(Duration.ofSeconds(30)).until(() -> !watches.isStale(helloApp));

                AtomicLong changes = startChurn(cluster, churnNamespace, churn);
                // long enough that the version the watches started from has left the server's window
                Thread.sleep(Duration.ofSeconds(20).toMillis());
                int passMark = passes.passes();
                requests.reset();
                long changesBefore = changes.get();
                Thread.sleep(QUIET.toMillis());
                List<String> sent = requests.all();
                long churned = changes.get() - changesBefore;
                String summary = "over %d s with %d changes in %s: %d requests:%n%s%n"
                        .formatted(QUIET.toSeconds(), churned, churnNamespace, sent.size(), String.join("\n", sent));
                log.info(summary);
                // the figures docs/reliability.md quotes
                java.nio.file.Files.writeString(Path.of("target", "steady-state-requests.txt"), summary);

                assertThat(churned)
                        .as("changes in the other namespace over the quiet time")
                        .isGreaterThan(QUIET.toSeconds() * CHURN_PER_SECOND / 2);
                assertThat(passes.passes() - passMark).as("passes while quiet").isGreaterThan(10);
                assertThat(passes.outcomesSince(passMark)).containsOnly(PassOutcome.UNCHANGED);
                assertThat(requests.writes()).as("writes of a quiet daemon").isEmpty();
                assertThat(sent.stream().filter(r -> r.startsWith("GET ") && !r.contains("watch=true")))
                        .as("lists and reads of a quiet daemon")
                        .isEmpty();
                assertThat(sent)
                        .as("the probes of the three watched kinds, one a minute each")
                        .anyMatch(r -> r.contains("/deployments?") && r.contains("watch=true"))
                        .anyMatch(r -> r.contains("/secrets?") && r.contains("watch=true"))
                        .anyMatch(r -> r.contains("/configmaps?") && r.contains("watch=true"));
            } finally {
                churn.shutdownNow();
                churn.awaitTermination(10, TimeUnit.SECONDS);
            }
        } finally {
            cluster.client().namespaces().withName(churnNamespace).delete();
        }
    }

    /** Four Deployments and four Secrets, not Lockstep's, each changed once a second in turn. */
    private static AtomicLong startChurn(TestCluster cluster, String namespace, ScheduledExecutorService on) {
        KubernetesClient admin = cluster.client();
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .withLabels(Map.of(TestCluster.TEST_NAMESPACE_LABEL, "true"))
                        .endMetadata()
                        .build())
                .create();
        int each = CHURN_PER_SECOND / 2;
        for (int i = 0; i < each; i++) {
            admin.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .resource(new DeploymentBuilder()
                            .withNewMetadata()
                            .withName("busy-" + i)
                            .endMetadata()
                            .withNewSpec()
                            .withReplicas(0)
                            .withNewSelector()
                            .addToMatchLabels("app", "busy-" + i)
                            .endSelector()
                            .withNewTemplate()
                            .withNewMetadata()
                            .addToLabels("app", "busy-" + i)
                            .endMetadata()
                            .withNewSpec()
                            .addNewContainer()
                            .withName("busy")
                            .withImage("busy:1")
                            .endContainer()
                            .endSpec()
                            .endTemplate()
                            .endSpec()
                            .build())
                    .create();
            admin.secrets()
                    .inNamespace(namespace)
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("busy-" + i)
                            .endMetadata()
                            .withStringData(Map.of("n", "0"))
                            .build())
                    .create();
        }
        AtomicLong changes = new AtomicLong();
        on.scheduleAtFixedRate(
                () -> {
                    long n = changes.incrementAndGet();
                    String name = "busy-" + (n / 2 % each);
                    try {
                        if (n % 2 == 0) {
                            admin.apps()
                                    .deployments()
                                    .inNamespace(namespace)
                                    .withName(name)
                                    .edit(d -> {
                                        d.getMetadata().setAnnotations(Map.of("churn", Long.toString(n)));
                                        return d;
                                    });
                        } else {
                            admin.secrets()
                                    .inNamespace(namespace)
                                    .withName(name)
                                    .edit(s -> {
                                        s.setData(Map.of(
                                                "n",
                                                java.util.Base64.getEncoder()
                                                        .encodeToString(
                                                                Long.toString(n).getBytes())));
                                        return s;
                                    });
                        }
                    } catch (RuntimeException e) {
                        log.warn("churn change {} failed: {}", n, e.toString());
                    }
                },
                0,
                1000 / CHURN_PER_SECOND,
                TimeUnit.MILLISECONDS);
        return changes;
    }
}
