package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.model.AppRecord;
import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.testing.HelloApp;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestCluster;
import dev.lockstep.util.Tree;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The raw reads of {@code status} and {@code history} against a real API server give what the full client's typed
 * adapters give, fail with the same words, and leave what they do not cover to the full client.
 */
@RealCluster
class ClusterReadsIT {
    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void rawReadsAnswerAsTheTypedAdapters(TestCluster cluster) {
        String ns = cluster.namespace();
        KubernetesClient client = cluster.client();
        create(client, ns, HelloApp.deployment("alpha", "080196/hello-app:v1", 1));
        create(client, ns, statefulSet("db"));
        ResourceKey alpha = ResourceKey.of("apps/v1", "Deployment", ns, "alpha");
        AppRecord record = new AppRecord(
                "c".repeat(40),
                List.of(new InventoryEntry(alpha, "apps/v1")),
                List.of(new HistoryEntry(
                        "Deployment", ns + "/alpha", 1, "alpha-1", "a".repeat(40), "v1", "Ada", AT, "rolled out")));
        new ConfigMapAppRecords(client, ns).save("shop", record);
        KubeControllerRevisions typedRevisions = new KubeControllerRevisions(client);
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        !new ReplicaSets(client).ownedBy(ns, "alpha", Map.of()).isEmpty()
                                && !typedRevisions
                                        .ownedBy(ns, "StatefulSet", "db", Map.of())
                                        .isEmpty());

        try (ClusterReads reads = new ClusterReads(
                cluster.config(),
                c -> new KubernetesClientBuilder().withConfig(c).build())) {
            assertThat(reads.records(ns).load("shop")).isEqualTo(new ConfigMapAppRecords(client, ns).load("shop"));
            assertThat(reads.records(ns).load("absent")).isEmpty();
            List<ReplicaSetInfo> rawSets = reads.replicaSets().ownedBy(ns, "alpha", Map.of("app", "alpha"));
            assertSame(rawSets, new ReplicaSets(client).ownedBy(ns, "alpha", Map.of("app", "alpha")));
            assertThat(rawSets).isNotEmpty();
            assertThat(reads.replicaSets().byOwner(ns, Map.of("alpha", Map.of("app", "alpha"))))
                    .containsOnlyKeys("alpha");
            assertSame(
                    reads.replicaSets()
                            .byOwner(ns, Map.of("alpha", Map.of("app", "alpha")))
                            .get("alpha"),
                    new ReplicaSets(client)
                            .byOwner(ns, Map.of("alpha", Map.of("app", "alpha")))
                            .get("alpha"));
            List<ReplicaSetInfo> rawRevisions =
                    reads.controllerRevisions().ownedBy(ns, "StatefulSet", "db", Map.of("app", "db")).stream()
                            .map(ControllerRevisionInfo::asRevisionRow)
                            .toList();
            assertThat(rawRevisions).isNotEmpty();
            assertSame(
                    rawRevisions,
                    typedRevisions.ownedBy(ns, "StatefulSet", "db", Map.of("app", "db")).stream()
                            .map(ControllerRevisionInfo::asRevisionRow)
                            .toList());
            Map<String, Object> raw = reads.objects().get("apps/v1", alpha).orElseThrow();
            Map<String, Object> typed =
                    new KubeObjectReader(client).get("apps/v1", alpha).orElseThrow();
            for (String part : List.of("spec", "status")) {
                assertThat(Tree.map(raw, part)).as(part).isEqualTo(Tree.map(typed, part));
            }
            assertThat(Tree.map(raw, "metadata", "annotations")).isEqualTo(Tree.map(typed, "metadata", "annotations"));
            assertThat(reads.objects().get("apps/v1", ResourceKey.of("apps/v1", "Deployment", ns, "absent")))
                    .isEmpty();
            assertThat(reads.usedFullClient())
                    .as("the raw reads covered all of it")
                    .isFalse();
        }
    }

    /** A kind outside the raw reads' table (here a ServiceAccount) is read by the full client, made then. */
    @Test
    void anyOtherKindFallsBackToTheFullClient(TestCluster cluster) {
        String ns = cluster.namespace();
        create(cluster.client(), ns, "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: reader}\n");
        ResourceKey account = ResourceKey.of("v1", "ServiceAccount", ns, "reader");
        try (ClusterReads reads = new ClusterReads(
                cluster.config(),
                c -> new KubernetesClientBuilder().withConfig(c).build())) {
            Map<String, Object> read = reads.objects().get("v1", account).orElseThrow();

            assertThat(Tree.string(read, "metadata", "name")).contains("reader");
            assertThat(reads.usedFullClient()).isTrue();
        }
    }

    /** A refusal reads as the full client words it: the commands print the same line either way. */
    @Test
    void aRefusalHasTheFullClientsWords(TestCluster cluster) {
        String ns = cluster.namespace();
        var badToken = new ConfigBuilder(cluster.config())
                .withOauthToken("not-a-token")
                .build();
        ResourceKey alpha = ResourceKey.of("apps/v1", "Deployment", ns, "alpha");
        String typed;
        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(badToken).build()) {
            typed = messageOf(() -> new KubeObjectReader(client).get("apps/v1", alpha));
        }
        try (ClusterReads reads = new ClusterReads(badToken, c -> {
            throw new AssertionError("no full client for a kind the raw reads cover");
        })) {
            assertThatThrownBy(() -> reads.objects().get("apps/v1", alpha))
                    .isInstanceOf(ClusterException.class)
                    .hasMessage(typed)
                    .hasMessageContaining("Unauthorized");
        }
    }

    /**
     * Equal, the templates by value: the typed model gives a Long where the JSON has a small number (30 seconds), the
     * raw read an Integer, as YAML does; Lockstep compares numbers by value everywhere ({@link Tree#sameValue}).
     */
    private static void assertSame(List<ReplicaSetInfo> raw, List<ReplicaSetInfo> typed) {
        assertThat(raw).hasSameSizeAs(typed);
        for (int i = 0; i < raw.size(); i++) {
            ReplicaSetInfo r = raw.get(i);
            ReplicaSetInfo t = typed.get(i);
            assertThat(new ReplicaSetInfo(
                            r.name(), r.uid(), r.revision(), r.annotations(), Map.of(), r.created(), r.replicas()))
                    .isEqualTo(new ReplicaSetInfo(
                            t.name(), t.uid(), t.revision(), t.annotations(), Map.of(), t.created(), t.replicas()));
            assertThat(Tree.firstDifference(t.template(), r.template()))
                    .as(r.name())
                    .isEmpty();
            assertThat(r.template().toString()).as("no null fields").doesNotContain("=null");
        }
    }

    private static String messageOf(Runnable read) {
        try {
            read.run();
        } catch (ClusterException e) {
            return e.getMessage();
        }
        throw new AssertionError("the read did not fail");
    }

    private static void create(KubernetesClient client, String ns, String yaml) {
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .inNamespace(ns)
                .create();
    }

    private static String statefulSet(String name) {
        return """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: %1$s
                spec:
                  serviceName: %1$s
                  replicas: 1
                  selector:
                    matchLabels: {app: %1$s}
                  template:
                    metadata:
                      labels: {app: %1$s}
                    spec:
                      containers:
                        - name: db
                          image: 080196/hello-app:v1
                """.formatted(name);
    }
}
