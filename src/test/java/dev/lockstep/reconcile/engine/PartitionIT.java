package dev.lockstep.reconcile.engine;

import static dev.lockstep.testing.HelloApp.configMap;
import static dev.lockstep.testing.HelloApp.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.InProcessDaemon;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.RequestCounter;
import dev.lockstep.testing.RolloutWaits;
import dev.lockstep.testing.TcpProxy;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's link to the API server breaks or slows while the shared test server keeps running: a {@link TcpProxy}
 * sits between the daemon's client and the server. Every test asserts the cluster's state and the requests the daemon
 * sent (counted by its client), and waits on conditions, never on time.
 */
@RealCluster
class PartitionIT {
    private static final Logger log = LoggerFactory.getLogger(PartitionIT.class);

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final RequestCounter requests = new RequestCounter();
    private final RecordingListener passes = new RecordingListener();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        closeables.add(c);
        return c;
    }

    /** Cuts the proxy just before the first request that matches is sent (once, when armed). */
    private static final class Tripwire implements Interceptor {
        private final TcpProxy proxy;
        private final AtomicBoolean armed = new AtomicBoolean();
        private volatile Predicate<String> when = r -> false;

        Tripwire(TcpProxy proxy) {
            this.proxy = proxy;
        }

        void arm(Predicate<String> request) {
            when = request;
            armed.set(true);
        }

        boolean fired() {
            return !armed.get();
        }

        @Override
        public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            String line = request.method() + " " + request.uri();
            if (armed.get() && when.test(line) && armed.compareAndSet(true, false)) {
                log.info("tripwire: cutting the link before {}", line);
                proxy.cut();
            }
        }
    }

    private record Setup(GitRepoFixture repo, String v1, TcpProxy proxy, Tripwire tripwire, InProcessDaemon daemon) {}

    private Setup start(TestCluster cluster, ReconcileListener... more) {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1"));
        repo.write("app/settings.yaml", configMap("settings", "a"));
        repo.write("app/old.yaml", configMap("old", "to be pruned"));
        String v1 = repo.commit("hello-app v1");
        TcpProxy proxy = closing(cluster.proxyToApiServer());
        Tripwire tripwire = new Tripwire(proxy);
        Config config = cluster.configThrough(proxy);
        KubernetesClient client = closing(new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientBuilderConsumer(b -> {
                    b.addOrReplaceInterceptor("request-counter", requests);
                    b.addOrReplaceInterceptor("tripwire", tripwire);
                })
                .build());
        List<ReconcileListener> listeners = new ArrayList<>(List.of(passes));
        listeners.addAll(List.of(more));
        InProcessDaemon daemon =
                closing(new InProcessDaemon(client, tmp.resolve("cache"), ReconcileListener.all(listeners)));
        daemon.restart(TestApps.hello(repo, cluster.namespace()));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> image(cluster).endsWith(":v1")
                        && recordedCommit(cluster).equals(v1));
        RolloutWaits.awaitRolloutComplete(cluster.client(), cluster.namespace(), "hello-app");
        return new Setup(repo, v1, proxy, tripwire, daemon);
    }

    private static String image(TestCluster cluster) {
        var d = cluster.client().apps().deployments().withName("hello-app").get();
        return d == null
                ? ""
                : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static Optional<String> value(TestCluster cluster, String name) {
        ConfigMap cm = cluster.client().configMaps().withName(name).get();
        return Optional.ofNullable(cm).map(c -> c.getData().get("value"));
    }

    /** The commit in the app's record (in the cluster), or "". */
    private static String recordedCommit(TestCluster cluster) {
        ConfigMap record =
                cluster.client().configMaps().withName("lockstep-app-hello").get();
        return record == null ? "" : record.getData().getOrDefault("commit", "");
    }

    /** Writes to the app's objects that are not dry runs (the app's own record aside), from index {@code from} on. */
    private List<String> realWritesSince(int from) {
        List<String> all = requests.all();
        return all.subList(Math.min(from, all.size()), all.size()).stream()
                .filter(r ->
                        r.startsWith("PATCH") || r.startsWith("POST") || r.startsWith("PUT") || r.startsWith("DELETE"))
                .filter(r -> !r.contains("dryRun") && !r.contains("lockstep-app-hello"))
                .toList();
    }

    private static long count(List<String> lines, String fragment) {
        return lines.stream().filter(l -> l.contains(fragment)).count();
    }

    @Test
    void aPartitionDuringAnApplyStageEndsAllOrNothingAndPrunesNothing(TestCluster cluster) {
        Setup s = start(cluster);
        String v1 = s.v1;
        s.repo.write("app/deployment.yaml", deployment("080196/hello-app:v2"));
        s.repo.write("app/settings.yaml", configMap("settings", "b"));
        s.repo.delete("app/old.yaml");
        int mark = requests.all().size();
        int passMark = passes.passes();
        // The link breaks just as the workloads stage sends the Deployment (the config stage has been written).
        s.tripwire.arm(r -> r.startsWith("PATCH") && r.contains("/deployments/hello-app") && !r.contains("dryRun"));
        String v2 = s.repo.commit("image v2, settings b, no old ConfigMap");

        await("the pass that hit the partition ends in a retry")
                .atMost(Duration.ofSeconds(90))
                .until(() ->
                        s.tripwire.fired() && passes.outcomesSince(passMark).contains(PassOutcome.RETRY));
        assertThat(value(cluster, "settings"))
                .as("the config stage, written before the cut")
                .contains("b");
        assertThat(image(cluster))
                .as("the workloads stage never reached the server")
                .endsWith(":v1");
        assertThat(value(cluster, "old"))
                .as("nothing pruned while the commit is not fully applied")
                .isPresent();
        assertThat(recordedCommit(cluster))
                .as("the commit is not recorded as applied")
                .isEqualTo(v1);
        assertThat(count(realWritesSince(mark), "/configmaps/old")).isZero();

        int restoredMark = requests.all().size();
        s.proxy.restore();
        await("v2 fully applied after the link returned")
                .atMost(Duration.ofSeconds(60))
                .until(() -> image(cluster).endsWith(":v2")
                        && value(cluster, "old").isEmpty()
                        && recordedCommit(cluster).equals(v2));
        List<String> after = realWritesSince(restoredMark);
        log.info("writes after the link returned: {}", after);
        assertThat(count(after, "/configmaps/settings"))
                .as("the ConfigMap already written is not sent again")
                .isZero();
        assertThat(count(after, "/deployments/hello-app")).isEqualTo(1);
        assertThat(after).filteredOn(w -> w.startsWith("DELETE")).hasSize(1).allMatch(w -> w.contains("/old"));
        assertThat(count(realWritesSince(mark), "/configmaps/settings"))
                .as("settings written once for v2 in all")
                .isEqualTo(1);
    }

    @Test
    void aRolloutThatEndsDuringAPartitionIsFollowedToTheEndAfterTheLinkReturns(TestCluster cluster) throws Exception {
        AtomicBoolean cutOnApply = new AtomicBoolean();
        TcpProxy[] proxyRef = new TcpProxy[1];
        ReconcileListener cutter = new ReconcileListener() {
            @Override
            public void commitApplied(String app, Revision commit) {
                if (cutOnApply.compareAndSet(true, false)) {
                    proxyRef[0].cut(); // v2 is applied and recorded; its rollout has just begun
                }
            }
        };
        Setup s = start(cluster, cutter);
        proxyRef[0] = s.proxy;
        cluster.keepImagesUnready(".*:v2"); // held back until the link is cut
        s.repo.write("app/deployment.yaml", deployment("080196/hello-app:v2"));
        cutOnApply.set(true);
        String v2 = s.repo.commit("image v2");
        await("v2 applied, then the link cut")
                .atMost(Duration.ofSeconds(60))
                .until(() -> !cutOnApply.get() && s.proxy.cuts() == 1);
        int mark = requests.all().size();

        // While the daemon cannot see it, the rollout finishes: the v2 pods become ready.
        cluster.client()
                .namespaces()
                .withName(cluster.namespace())
                .edit(ns -> new NamespaceBuilder(ns)
                        .editMetadata()
                        .removeFromAnnotations(dev.lockstep.testbed.SimulatedNodeConfig.UNREADY_IMAGES_ANNOTATION)
                        .endMetadata()
                        .build());
        cluster.client().pods().list().getItems().stream()
                .filter(p -> p.getSpec().getContainers().get(0).getImage().endsWith(":v2"))
                .forEach(p ->
                        cluster.client().pods().resource(p).withGracePeriod(0).delete());
        RolloutWaits.awaitRolloutComplete(cluster.client(), cluster.namespace(), "hello-app");
        assertThat(image(cluster)).endsWith(":v2");
        assertThat(passes.events())
                .as("the daemon has not seen the end yet")
                .noneMatch(e -> e.startsWith("rollout hello-app HEALTHY") && e.endsWith("image v2"));

        s.proxy.restore();
        await("the rollout reported finished after the link returned")
                .atMost(Duration.ofSeconds(60))
                .until(() -> passes.events().stream()
                        .anyMatch(e -> e.startsWith("rollout hello-app HEALTHY") && e.endsWith("image v2")));
        assertThat(passes.events())
                .filteredOn(e -> e.startsWith("rollout hello-app") && e.endsWith("image v2"))
                .as("followed to its end once, not failed")
                .containsExactly("rollout hello-app HEALTHY revision 2 image v2");
        assertThat(count(realWritesSince(mark), "/deployments/"))
                .as("the Deployment is not applied again")
                .isZero();
        assertThat(recordedCommit(cluster)).isEqualTo(v2);
    }

    @Test
    void aLinkSlowedTo500MsPerRequestIsSlowerButWritesEachChangeOnce(TestCluster cluster) {
        Setup s = start(cluster);
        s.proxy.delay(Duration.ofMillis(500));
        int mark = requests.all().size();
        int passMark = passes.passes();
        s.repo.write("app/deployment.yaml", deployment("080196/hello-app:v2"));
        s.repo.write("app/settings.yaml", configMap("settings", "b"));
        s.repo.delete("app/old.yaml");
        Instant pushed = Instant.now();
        String v2 = s.repo.commit("image v2, settings b, no old ConfigMap");

        await("v2 applied over the slow link")
                .atMost(Duration.ofSeconds(120))
                .until(() -> image(cluster).endsWith(":v2")
                        && value(cluster, "settings").equals(Optional.of("b"))
                        && value(cluster, "old").isEmpty()
                        && recordedCommit(cluster).equals(v2));
        // the record names v2 before the pass that saved it ends: over this link its last requests take seconds more
        await("the pass that applied v2 reports its outcome")
                .atMost(Duration.ofSeconds(60))
                .until(() -> !passes.outcomesSince(passMark).isEmpty());
        List<PassOutcome> outcomes = passes.outcomesSince(passMark);
        List<String> writes = realWritesSince(mark);
        System.out.printf(
                "partition: over a link adding 500 ms to each chunk, v2 took %d ms to apply; pass outcomes %s;"
                        + " writes %s%n",
                Duration.between(pushed, Instant.now()).toMillis(), outcomes, writes);
        // What is counted, not timed: each change written once, whatever the pace. On a loaded machine a request on
        // the slow link may run into the client's request timeout, and its pass retries: that is allowed (and
        // printed) as long as nothing is written twice; an error or a stall is not.
        assertThat(count(writes, "/configmaps/settings")).isEqualTo(1);
        assertThat(count(writes, "/deployments/hello-app")).isEqualTo(1);
        assertThat(writes).filteredOn(w -> w.startsWith("DELETE")).hasSize(1);
        assertThat(outcomes)
                .as("slow, never failed: no error or stall")
                .doesNotContain(PassOutcome.ERROR, PassOutcome.STALLED)
                .contains(PassOutcome.APPLIED);
    }

    @Test
    void anOutageHealsDriftMadeMeanwhileAndWritesNothingElse(TestCluster cluster) {
        Setup s = start(cluster);
        s.proxy.cut();
        int passMark = passes.passes();
        cluster.client().configMaps().withName("settings").edit(cm -> {
            cm.setData(Map.of("value", "edited during the outage"));
            return cm;
        });
        await("a pass fails during the outage")
                .atMost(Duration.ofSeconds(60))
                .until(() -> passes.outcomesSince(passMark).contains(PassOutcome.RETRY));
        int mark = requests.all().size();

        s.proxy.restore();
        await("the drift made during the outage healed")
                .atMost(Duration.ofSeconds(60))
                .until(() -> value(cluster, "settings").equals(Optional.of("a")));
        int healed = passes.passes();
        passes.awaitPasses(healed, 2, Duration.ofSeconds(30), "two passes after the heal");
        List<String> writes = realWritesSince(mark);
        assertThat(writes)
                .as("only the drifted object is written: nothing unchanged re-applied, nothing pruned")
                .hasSize(1)
                .allMatch(w -> w.startsWith("PATCH") && w.contains("/configmaps/settings"));
        assertThat(value(cluster, "old")).isPresent();
        assertThat(image(cluster)).endsWith(":v1");
    }

    /**
     * Lockstep applies with {@code force}: a field git sets that another field manager took is taken back, and the other
     * manager keeps the fields git does not set. (Without force the server would answer 409 Conflict; that a 409, from
     * whatever cause, is retried without recording or pruning anything is {@code OutageTest}'s.)
     */
    @Test
    void aFieldAnotherManagerTookIsTakenBackAndItsOtherFieldsAreLeftAlone(TestCluster cluster) {
        Setup s = start(cluster);
        ConfigMap theirs = new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .withNamespace(cluster.namespace())
                .endMetadata()
                .withData(Map.of("value", "theirs", "extra", "only theirs"))
                .build();
        cluster.client()
                .resource(theirs)
                .fieldManager("other-team")
                .forceConflicts()
                .serverSideApply();
        int mark = requests.all().size();

        await("git's value back")
                .atMost(Duration.ofSeconds(60))
                .until(() -> value(cluster, "settings").equals(Optional.of("a")));
        ConfigMap now = cluster.client().configMaps().withName("settings").get();
        assertThat(now.getData()).containsEntry("extra", "only theirs");
        assertThat(fieldsOf(now, "lockstep")).contains("f:value");
        assertThat(fieldsOf(now, "other-team")).contains("f:extra").doesNotContain("f:value");
        assertThat(realWritesSince(mark)).as("one forced apply, no retry loop").hasSize(1);
        assertThat(recordedCommit(cluster)).isEqualTo(s.v1);
    }

    private static String fieldsOf(ConfigMap cm, String manager) {
        return cm.getMetadata().getManagedFields().stream()
                .filter(m -> manager.equals(m.getManager()) && "Apply".equals(m.getOperation()))
                .map(ManagedFieldsEntry::getFieldsV1)
                .map(f -> String.valueOf(f.getAdditionalProperties()))
                .findFirst()
                .orElse("");
    }
}
