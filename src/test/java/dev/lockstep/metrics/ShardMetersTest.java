package dev.lockstep.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What /metrics says about a sharded replica, as its apps and the member list change. */
class ShardMetersTest {
    @Test
    void countsTheAppsThisReplicaMayWriteAndNamesEachOwnedAppAndTheLiveReplicas() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Set<String> owned = ConcurrentHashMap.newKeySet();
        AtomicInteger replicas = new AtomicInteger(1);
        ShardMeters.register(registry, List.of("cart", "shop", "web"), owned::contains, replicas::get);

        assertThat(registry.scrape())
                .contains("lockstep_shard_apps_owned 0.0")
                .contains("lockstep_shard_owner{app=\"cart\"} 0.0")
                .contains("lockstep_shard_replicas 1.0")
                .doesNotContain("lockstep_leader");

        owned.add("cart");
        owned.add("web");
        replicas.set(3);
        assertThat(registry.scrape())
                .contains("lockstep_shard_apps_owned 2.0")
                .contains("lockstep_shard_owner{app=\"cart\"} 1.0")
                .contains("lockstep_shard_owner{app=\"shop\"} 0.0")
                .contains("lockstep_shard_owner{app=\"web\"} 1.0")
                .contains("lockstep_shard_replicas 3.0");
    }
}
