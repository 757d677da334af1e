package dev.lockstep.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryEntryTest {
    private static final ResourceKey DEPLOYMENT = ResourceKey.of("apps/v1", "Deployment", "shop", "web");
    private static final ResourceKey STATEFUL_SET = ResourceKey.of("apps/v1", "StatefulSet", "shop", "web");

    private static InventoryEntry inventory(ResourceKey key) {
        return new InventoryEntry(key, "apps/v1");
    }

    @Test
    void anEntryIsOfOneKindAndName() {
        HistoryEntry entry =
                new HistoryEntry("StatefulSet", "shop/web", 2, "web-2", "c0ffee", "v2", "Ada", Instant.EPOCH, "failed");

        assertThat(entry.isOf(STATEFUL_SET)).isTrue();
        assertThat(entry.isOf(DEPLOYMENT)).isFalse();
        assertThat(entry.isOf(ResourceKey.of("apps/v1", "StatefulSet", "other", "web")))
                .isFalse();
    }

    @Test
    void anEntryIsNotOfAWorkloadWhoseNamespaceAndNameOnlyConcatenateAlike() {
        HistoryEntry entry = new HistoryEntry("Deployment", "a/b-c", 1, "rs", "c0ffee", "v1", "Ada", Instant.EPOCH, "");

        assertThat(entry.isOf(ResourceKey.of("apps/v1", "Deployment", "a", "b-c")))
                .isTrue();
        assertThat(entry.isOf(ResourceKey.of("apps/v1", "Deployment", "a/b", "c")))
                .isFalse();
        assertThat(entry.isOf(ResourceKey.of("apps/v1", "Deployment", "a", "b")))
                .isFalse();
        assertThat(entry.isOf(ResourceKey.of("apps/v1", "Deployment", "", "a/b-c")))
                .isFalse();
    }

    @Test
    void theLatestEntryOfEachWorkloadIsFoundInOnePass() {
        List<HistoryEntry> history = List.of(
                new HistoryEntry("Deployment", "shop/web", 1, "web-1", "a1", "v1", "Ada", Instant.EPOCH, "failed"),
                new HistoryEntry("StatefulSet", "shop/web", 1, "web-1", "a1", "v1", "Ada", Instant.EPOCH, "rolled out"),
                new HistoryEntry("Deployment", "shop/web", 2, "web-2", "b2", "v2", "Ada", Instant.EPOCH, "rolled out"));

        var latest = HistoryEntry.latestOfEach(history);

        assertThat(HistoryEntry.latestOf(latest, DEPLOYMENT))
                .map(HistoryEntry::commit)
                .contains("b2");
        assertThat(HistoryEntry.latestOf(latest, STATEFUL_SET))
                .map(HistoryEntry::commit)
                .contains("a1");
        assertThat(HistoryEntry.latestOf(latest, ResourceKey.of("apps/v1", "Deployment", "shop", "api")))
                .isEmpty();
    }

    @Test
    void anUnkindedEntryOfAnOlderVersionIsTheOneWorkloadOfThatNameInTheInventory() {
        List<InventoryEntry> inventory = List.of(
                inventory(STATEFUL_SET),
                inventory(ResourceKey.of("v1", "ConfigMap", "shop", "web")),
                inventory(ResourceKey.of("apps/v1", "Deployment", "shop", "api")));

        assertThat(HistoryEntry.kindOfUnkinded("shop/web", inventory)).isEqualTo("StatefulSet");
        assertThat(HistoryEntry.kindOfUnkinded("shop/api", inventory)).isEqualTo("Deployment");
    }

    @Test
    void anUnkindedEntryIsADeploymentWhenTheNameIsAmbiguousOrGone() {
        List<InventoryEntry> both = List.of(inventory(STATEFUL_SET), inventory(DEPLOYMENT));

        assertThat(HistoryEntry.kindOfUnkinded("shop/web", both)).isEqualTo("Deployment");
        assertThat(HistoryEntry.kindOfUnkinded("shop/gone", both)).isEqualTo("Deployment");
    }
}
