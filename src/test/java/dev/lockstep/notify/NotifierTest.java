package dev.lockstep.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.model.NotificationEvent;
import dev.lockstep.testing.HttpReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The queue between the passes and the receivers: never blocking, bounded, filtered, counted. */
class NotifierTest {
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final NotificationCounter counter = (destination, event, result) -> counts.computeIfAbsent(
                    destination + "/" + event + "/" + result, k -> new AtomicInteger())
            .incrementAndGet();
    private final Sender sender = new Sender(
            new Sender.Policy(2, Duration.ofSeconds(30), Duration.ofMillis(1), Duration.ofMillis(1)), d -> {});

    private static Route route(String name, HttpReceiver r, Set<NotificationEvent> events, Set<String> apps) {
        return new Route(name, new Webhook(r.url("/" + name), Optional.empty()), events, apps);
    }

    private int count(String key) {
        return counts.getOrDefault(key, new AtomicInteger()).get();
    }

    @Test
    void aReceiverThatNeverAnswersDoesNotDelayTheCaller() {
        try (HttpReceiver silent = new HttpReceiver().silent();
                Notifier notifier = new Notifier(
                        List.of(route("silent", silent, NotificationEvent.defaults(), Set.of())),
                        sender,
                        10,
                        counter)) {
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                notifier.send(Notices.of(NotificationEvent.APPLIED));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isLessThan(Duration.ofMillis(500));
            await().atMost(Duration.ofSeconds(5)).until(() -> silent.received().size() == 1);
        }
    }

    @Test
    void aFullQueueDropsTheOldestAndCountsIt() {
        try (HttpReceiver silent = new HttpReceiver().silent();
                Notifier notifier = new Notifier(
                        List.of(route("slow", silent, Set.of(NotificationEvent.values()), Set.of())),
                        sender,
                        3,
                        counter)) {
            notifier.send(Notices.of(NotificationEvent.APPLIED)); // taken by the sender, which then waits
            await().atMost(Duration.ofSeconds(5)).until(() -> silent.received().size() == 1);
            notifier.send(Notices.of(NotificationEvent.HEALTHY)); // the oldest waiting: dropped first
            notifier.send(Notices.of(NotificationEvent.ROLLOUT_FAILED));
            notifier.send(Notices.of(NotificationEvent.REVERTED));
            notifier.send(Notices.of(NotificationEvent.REFUSED));

            assertThat(count("slow/healthy/dropped")).isEqualTo(1);
            assertThat(count("slow/rollout-failed/dropped")).isZero();
            assertThat(count("slow/reverted/dropped")).isZero();
        }
    }

    @Test
    void eachDestinationGetsOnlyItsEventsAndAppsAndDeliveriesAreCounted() {
        try (HttpReceiver all = new HttpReceiver();
                HttpReceiver failures = new HttpReceiver();
                HttpReceiver other = new HttpReceiver();
                Notifier notifier = new Notifier(
                        List.of(
                                route("all", all, NotificationEvent.defaults(), Set.of()),
                                route("failures", failures, Set.of(NotificationEvent.ROLLOUT_FAILED), Set.of()),
                                route("other", other, NotificationEvent.defaults(), Set.of("billing"))),
                        sender,
                        10,
                        counter)) {
            notifier.send(Notices.of(NotificationEvent.APPLIED));
            notifier.send(Notices.of(NotificationEvent.ROLLOUT_FAILED));
            notifier.send(Notices.of(NotificationEvent.DRIFT_HEALED)); // off unless listed

            await().atMost(Duration.ofSeconds(5)).until(() -> count("failures/rollout-failed/sent") == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> all.received().size() == 2);
            assertThat(count("all/applied/sent")).isEqualTo(1);
            assertThat(count("all/rollout-failed/sent")).isEqualTo(1);
            assertThat(failures.received()).hasSize(1);
            assertThat(other.received()).isEmpty();
            assertThat(count("all/drift-healed/sent")).isZero();
        }
    }

    @Test
    void aFailedDeliveryIsCountedAsFailed() {
        try (HttpReceiver gone = new HttpReceiver().finallyAnswer(410);
                Notifier notifier = new Notifier(
                        List.of(route("gone", gone, NotificationEvent.defaults(), Set.of())), sender, 10, counter)) {
            notifier.send(Notices.of(NotificationEvent.APPLIED));

            await().atMost(Duration.ofSeconds(5)).until(() -> count("gone/applied/failed") == 1);
            assertThat(gone.received()).hasSize(1);
        }
    }
}
