package dev.lockstep.server;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** What an authenticated webhook call does: asks the loop for an immediate pass. Must return quickly. */
public interface WebhookTrigger {
    /** Schedules a pass of {@code app} now; false for an unknown app. */
    boolean trigger(String app);

    /** Schedules a pass of every app now; returns their names. */
    List<String> triggerAll();

    /** E.g. {@code WebhookTrigger.of(loop::trigger, () -> { loop.triggerAll(); return names; })}. */
    static WebhookTrigger of(Predicate<String> one, Supplier<List<String>> all) {
        return new WebhookTrigger() {
            @Override
            public boolean trigger(String app) {
                return one.test(app);
            }

            @Override
            public List<String> triggerAll() {
                return all.get();
            }
        };
    }
}
