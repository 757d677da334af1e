package dev.lockstep.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What Lockstep tells people about (the {@code notifications:} list's {@code events}). Each is sent at most once per
 * app, commit and event; the app's record keeps which were sent.
 */
public enum NotificationEvent {
    APPLIED("info"),
    HEALTHY("info"),
    ROLLOUT_FAILED("error"),
    REVERTED("warning"),
    MANUAL_ROLLBACK("warning"),
    REFUSED("error"),
    PRUNE_HELD("warning"),
    DRIFT_HEALED("info");

    private final String severity;

    NotificationEvent(String severity) {
        this.severity = severity;
    }

    /** The name users write and receivers see, e.g. {@code rollout-failed}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code info}, {@code warning} or {@code error}. */
    public String severity() {
        return severity;
    }

    public static Optional<NotificationEvent> of(String id) {
        return Arrays.stream(values()).filter(e -> e.id().equals(id)).findFirst();
    }

    /** What a destination gets when it names no events: all but {@code drift-healed}, which can be noisy. */
    public static Set<NotificationEvent> defaults() {
        return Arrays.stream(values()).filter(e -> e != DRIFT_HEALED).collect(Collectors.toUnmodifiableSet());
    }

    /** The key the app's record keeps once this event was sent for {@code commit}. */
    public String keyFor(String commit) {
        return commit + ":" + id();
    }
}
