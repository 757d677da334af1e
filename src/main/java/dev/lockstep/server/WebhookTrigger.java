package dev.lockstep.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** What an authenticated webhook call does: asks the loop for an immediate pass. Must return quickly. */
public interface WebhookTrigger {
    /** Schedules a pass of {@code app} now; false for an unknown app. */
    boolean trigger(String app);

    /** Schedules a pass of every app now; returns their names. */
    List<String> triggerAll();

    /** The branch {@code app} follows (e.g. "main"); empty for an unknown app. */
    Optional<String> branchOf(String app);

    /** Every app, in config order. */
    List<String> apps();

    /**
     * E.g. {@code WebhookTrigger.of(loop::trigger, () -> { loop.triggerAll(); return names; }, branches)}.
     *
     * @param branches each app's branch, in config order
     */
    static WebhookTrigger of(Predicate<String> one, Supplier<List<String>> all, Map<String, String> branches) {
        Map<String, String> copy = new java.util.LinkedHashMap<>(branches);
        return new WebhookTrigger() {
            @Override
            public boolean trigger(String app) {
                return one.test(app);
            }

            @Override
            public List<String> triggerAll() {
                return all.get();
            }

            @Override
            public Optional<String> branchOf(String app) {
                return Optional.ofNullable(copy.get(app));
            }

            @Override
            public List<String> apps() {
                return List.copyOf(copy.keySet());
            }
        };
    }
}
