package dev.lockstep.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The durations a setting accepts, written as {@code 500ms}, {@code 30s}, {@code 5m} or {@code 1h}. Bounded so that no
 * value can overflow where it is used later (scheduling the next pass adds the interval to now), far from the error
 * handling that would name the field.
 */
public record DurationRange(Duration min, Duration max) {
    /** How often an app's repository is polled: {@code interval}. */
    public static final DurationRange INTERVAL = new DurationRange(Duration.ofSeconds(1), Duration.ofHours(24));
    /** How long to wait for something, e.g. {@code sync --timeout}. */
    public static final DurationRange TIMEOUT = new DurationRange(Duration.ofSeconds(1), Duration.ofHours(1));

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /**
     * @throws IllegalArgumentException with a message for the user (it quotes the value: durations are not secret)
     */
    public Duration parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration (use e.g. 500ms, 30s, 5m, 1h)");
        }
        Duration d;
        try {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } catch (NumberFormatException | ArithmeticException tooManyDigits) {
            d = null;
        }
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" is out of range: must be from " + written(min) + " to " + written(max));
        }
        return d;
    }

    /** {@code 1s}, {@code 24h}: the way the config writes it. */
    static String written(Duration d) {
        if (d.toMillis() % 3_600_000 == 0) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + "m";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }
}
