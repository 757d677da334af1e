package dev.lockstep.server;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Whether the daemon may receive traffic ({@code /readyz}); when not, a short reason for the probe's output. */
@FunctionalInterface
public interface Readiness {
    /** Empty when ready. */
    Optional<String> notReadyReason();

    static Readiness of(BooleanSupplier ready, String reasonWhenNot) {
        return () -> ready.getAsBoolean() ? Optional.empty() : Optional.of(reasonWhenNot);
    }
}
