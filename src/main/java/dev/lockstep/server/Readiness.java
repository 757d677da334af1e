package dev.lockstep.server;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Whether the daemon may receive traffic, as {@code /readyz} reports it: 200 once the daemon has started
 * (configuration loaded, HTTP serving, loop scheduled), 503 with the reason while starting or shutting down.
 * Readiness says nothing about the apps: it does not wait for a first pass, a git fetch or the cluster caches, and a
 * standby replica (not the leader) is ready too. App health is in {@code /status}.
 */
@FunctionalInterface
public interface Readiness {
    /** Empty when ready; otherwise a short reason, shown after {@code "not ready: "}. */
    Optional<String> notReadyReason();

    /** Ready while {@code ready} is true; {@code reasonWhenNot} otherwise. */
    static Readiness of(BooleanSupplier ready, String reasonWhenNot) {
        return () -> ready.getAsBoolean() ? Optional.empty() : Optional.of(reasonWhenNot);
    }
}
