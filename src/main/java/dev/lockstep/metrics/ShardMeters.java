package dev.lockstep.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * Sharding ({@code sharding: true}) as Prometheus shows it, in place of {@code lockstep_leader} (there is no leader):
 * {@code lockstep_shard_apps_owned} (apps this replica may write now), {@code lockstep_shard_owner{app}} (1 on the
 * replica working on the app, else 0: summed over the replicas, 0 means nobody works on it) and
 * {@code lockstep_shard_replicas} (live replicas this one saw at its last look).
 */
public final class ShardMeters {
    private ShardMeters() {}

    /**
     * @param apps     every app of the config
     * @param owns     true while this replica may write the app
     * @param replicas live replicas at the last look
     */
    public static void register(
            MeterRegistry registry, List<String> apps, Predicate<String> owns, IntSupplier replicas) {
        List<String> all = List.copyOf(apps);
        // Gauges built with a Supplier hold it strongly, so they live as long as the registry.
        Gauge.builder(
                        "lockstep.shard.apps.owned",
                        () -> all.stream().filter(owns).count())
                .description("Apps this replica holds the Lease of and may write now")
                .register(registry);
        for (String app : all) {
            Gauge.builder("lockstep.shard.owner", () -> owns.test(app) ? 1 : 0)
                    .description("1 while this replica works on the app, else 0")
                    .tag("app", app)
                    .register(registry);
        }
        Gauge.builder("lockstep.shard.replicas", replicas::getAsInt)
                .description("Live replicas (renewed replica Leases) this replica saw at its last look")
                .register(registry);
    }
}
