package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.AppRecord;
import dev.lockstep.model.FollowedRollout;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.PruneHold;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.TemplateChange;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The app's record in a real ConfigMap: history entries keep their workload's kind, and older records still read. */
@RealCluster
class ConfigMapAppRecordsIT {
    private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void entriesOfADeploymentAndAStatefulSetOfOneNameStayApart(TestCluster cluster) {
        String ns = cluster.namespace();
        ConfigMapAppRecords records = new ConfigMapAppRecords(cluster.client(), ns);
        ResourceKey deployment = ResourceKey.of("apps/v1", "Deployment", ns, "web");
        ResourceKey statefulSet = ResourceKey.of("apps/v1", "StatefulSet", ns, "web");
        AppRecord record = new AppRecord(
                "c".repeat(40),
                List.of(new InventoryEntry(deployment, "apps/v1"), new InventoryEntry(statefulSet, "apps/v1")),
                List.of(
                        new HistoryEntry(
                                "Deployment", ns + "/web", 1, "web-1", "a".repeat(40), "d", "Ada", AT, "rolled out"),
                        new HistoryEntry(
                                "StatefulSet", ns + "/web", 1, "web-2", "b".repeat(40), "s", "Ada", AT, "failed")));

        records.save("shop", record);
        AppRecord loaded = records.load("shop").orElseThrow();

        assertThat(loaded.history()).containsExactlyElementsOf(record.history());
        assertThat(loaded.history().stream().filter(h -> h.isOf(statefulSet)))
                .singleElement()
                .satisfies(h -> assertThat(h.result()).isEqualTo("failed"));
    }

    /**
     * The first apply of one app of 5,000 Deployments follows all their rollouts: the record still fits the API
     * server's 1 MiB, so the next leader (or a restart) follows them on instead of the save failing on every pass.
     */
    @Test
    void aRecordFollowingFiveThousandRolloutsSavesAndReadsBack(TestCluster cluster) {
        String ns = cluster.namespace();
        ConfigMapAppRecords records = new ConfigMapAppRecords(cluster.client(), ns);
        Revision commit = new Revision("c".repeat(40), "5,000 Deployments", "", "Ada", "ada@example.com", AT);
        List<InventoryEntry> inventory = new ArrayList<>();
        List<FollowedRollout> following = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            ResourceKey key = ResourceKey.of("apps/v1", "Deployment", ns, "deploy-000-" + i);
            inventory.add(new InventoryEntry(key, "apps/v1"));
            following.add(new FollowedRollout(
                    key, commit, new TemplateChange(Optional.empty()), AT, Optional.empty(), Optional.empty()));
        }
        AppRecord record = new AppRecord(commit.commit(), inventory, List.of(), List.of(), PruneHold.NONE)
                .withFollowing(following);

        records.save("big", record);

        assertThat(records.load("big").orElseThrow().following()).containsExactlyElementsOf(following);
    }

    /**
     * One app of 5,000 Deployments, each rolled out by its own commit, a new rollout of each followed: every
     * Deployment keeps its history entry (the record kept the app's last 200, so {@code lockstep history} of most of
     * them named no result), and the whole record, inventory and fingerprints included, still fits in 1 MiB.
     */
    @Test
    void aFiveThousandDeploymentAppKeepsEveryDeploymentsHistoryEntryUnderOneMebibyte(TestCluster cluster) {
        String ns = cluster.namespace();
        ConfigMapAppRecords records = new ConfigMapAppRecords(cluster.client(), ns);
        java.util.Random random = new java.util.Random(25);
        Revision next = new Revision(hex(random, 40), "5,000 Deployments again", "", "Ada", "ada@example.com", AT);
        List<InventoryEntry> inventory = new ArrayList<>();
        List<HistoryEntry> history = new ArrayList<>();
        List<FollowedRollout> following = new ArrayList<>();
        java.util.Map<ResourceKey, String> fingerprints = new java.util.HashMap<>();
        for (int i = 0; i < 5000; i++) {
            String name = "deploy-000-" + i;
            ResourceKey key = ResourceKey.of("apps/v1", "Deployment", ns, name);
            inventory.add(new InventoryEntry(key, "apps/v1"));
            fingerprints.put(key, hex(random, 43));
            history.add(new HistoryEntry(
                    "Deployment",
                    ns + "/" + name,
                    1,
                    name + "-" + hex(random, 10),
                    hex(random, 40),
                    "Deploy " + name,
                    "Ada",
                    AT,
                    "rolled out"));
            following.add(new FollowedRollout(
                    key, next, new TemplateChange(Optional.empty()), AT, Optional.empty(), Optional.empty()));
        }
        AppRecord record =
                new AppRecord(next.commit(), inventory, history, List.of(), PruneHold.NONE, fingerprints, following);

        records.save("big", record);

        assertThat(records.load("big").orElseThrow().history()).containsExactlyElementsOf(history);
        var saved = cluster.client()
                .configMaps()
                .inNamespace(ns)
                .withName(ConfigMapAppRecords.configMapName("big"))
                .get();
        long bytes = cluster.client().getKubernetesSerialization().asJson(saved).length();
        assertThat(bytes).as("bytes of the record's ConfigMap").isLessThan(1024 * 1024);
    }

    private static String hex(java.util.Random random, int length) {
        StringBuilder out = new StringBuilder();
        while (out.length() < length) {
            out.append(Integer.toHexString(random.nextInt(16)));
        }
        return out.toString();
    }

    /** A record written before entries named their kind: each entry takes the kind of its workload in the inventory. */
    @Test
    void aRecordOfThePreviousVersionReadsWithTheKindOfEachWorkload(TestCluster cluster) {
        String ns = cluster.namespace();
        String inventory = "[{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"namespace\":\"" + ns
                + "\",\"name\":\"agent\"},{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"namespace\":\"" + ns
                + "\",\"name\":\"web\"}]";
        String history = "[" + legacyEntry(ns + "/agent", "failed") + "," + legacyEntry(ns + "/web", "rolled out") + ","
                + legacyEntry(ns + "/removed", "rolled out") + "]";
        cluster.client()
                .configMaps()
                .inNamespace(ns)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(ConfigMapAppRecords.configMapName("old"))
                        .endMetadata()
                        .addToData("commit", "c".repeat(40))
                        .addToData("inventory", inventory)
                        .addToData("history", history)
                        .build())
                .create();

        AppRecord loaded =
                new ConfigMapAppRecords(cluster.client(), ns).load("old").orElseThrow();

        assertThat(loaded.history())
                .extracting(HistoryEntry::kind, HistoryEntry::workload, HistoryEntry::result)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("DaemonSet", ns + "/agent", "failed"),
                        org.assertj.core.groups.Tuple.tuple("Deployment", ns + "/web", "rolled out"),
                        org.assertj.core.groups.Tuple.tuple("Deployment", ns + "/removed", "rolled out"));
    }

    private static String legacyEntry(String workload, String result) {
        return "{\"deployment\":\"" + workload + "\",\"revision\":1,\"replicaSet\":\"x-1\",\"commit\":\""
                + "a".repeat(40) + "\",\"subject\":\"s\",\"author\":\"Ada\",\"appliedAt\":\"" + AT + "\",\"result\":\""
                + result + "\"}";
    }
}
