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
