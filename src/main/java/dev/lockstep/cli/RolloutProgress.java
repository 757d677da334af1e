package dev.lockstep.cli;

import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One line for many rollouts, {@code rolled out 812/1000, 0 failed}: printed when the counts move, at most every
 * {@link #EVERY}, and always at the end, so a sync of thousands of Deployments prints a few dozen lines, not thousands.
 */
final class RolloutProgress {
    static final Duration EVERY = Duration.ofSeconds(2);
    private final Clock clock;
    private String last = "";
    private Instant lastAt = Instant.MIN;

    RolloutProgress(Clock clock) {
        this.clock = clock;
    }

    static String line(Map<String, RolloutStatus> rollouts) {
        long done = rollouts.values().stream()
                .filter(s -> s.state() == RolloutState.HEALTHY)
                .count();
        long failed = rollouts.values().stream()
                .filter(s -> s.state() == RolloutState.FAILED)
                .count();
        return "rolled out " + done + "/" + rollouts.size() + ", " + failed + " failed";
    }

    /** The line to print now, if any: a change since the last one, not too soon after it, or the final one. */
    Optional<String> line(Map<String, RolloutStatus> rollouts, boolean finished) {
        String now = line(rollouts);
        Instant at = clock.instant();
        if (now.equals(last) || (!finished && at.isBefore(lastAt.plus(EVERY)))) {
            return Optional.empty();
        }
        last = now;
        lastAt = at;
        return Optional.of(now);
    }
}
