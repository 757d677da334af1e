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
