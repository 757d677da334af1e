package dev.lockstep.metrics;

import dev.lockstep.notify.NotificationCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code lockstep_notifications_total{destination,event,result}}: result is sent, failed or dropped. */
public final class NotificationMeters implements NotificationCounter {
    private final MeterRegistry registry;

    public NotificationMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void count(String destination, String event, String result) {
        Counter.builder("lockstep.notifications")
                .description("Notifications by destination, event and result (sent, failed, dropped)")
                .tag("destination", destination)
                .tag("event", event)
                .tag("result", result)
                .register(registry)
                .increment();
    }
}
