package dev.lockstep.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BooleanSupplier;

/**
 * Leader election as Prometheus shows it: {@code lockstep_leader} (1 while this replica may write, else 0) and
 * {@code lockstep_leadership_lost_total} (times it lost the leadership it had). Without leader election the replica
 * always leads and never loses.
 */
public final class LeadershipMeters {
    private final Counter lost;

    public LeadershipMeters(MeterRegistry registry, BooleanSupplier leading) {
        // The gauge holds its supplier strongly (Gauge.builder with a Supplier), so it lives as long as the registry.
        Gauge.builder("lockstep.leader", () -> leading.getAsBoolean() ? 1 : 0)
                .description("1 while this replica holds the leader Lease (and may write), else 0")
                .register(registry);
        this.lost = Counter.builder("lockstep.leadership.lost")
                .description("Times this replica lost the leadership it had")
                .register(registry);
    }

    public void lost() {
        lost.increment();
    }
}
