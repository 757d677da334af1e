package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import dev.lockstep.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutProgressTest {
    private static RolloutStatus status(RolloutState state) {
        return new RolloutStatus(state, "", 1);
    }

    @Test
    void oneLineWhenTheCountsMoveAtMostEveryTwoSecondsAndAlwaysTheLast() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        RolloutProgress progress = new RolloutProgress(clock);
        Map<String, RolloutStatus> two = Map.of(
                "a", status(RolloutState.HEALTHY),
                "b", status(RolloutState.PROGRESSING));
        assertThat(progress.line(two, false)).contains("rolled out 1/2, 0 failed");
        assertThat(progress.line(two, false)).as("same counts").isEmpty();
        Map<String, RolloutStatus> failed = Map.of(
                "a", status(RolloutState.HEALTHY),
                "b", status(RolloutState.FAILED));
        clock.advance(Duration.ofMillis(1999));
        assertThat(progress.line(failed, false)).as("too soon").isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(progress.line(failed, false)).as("two seconds on").contains("rolled out 1/2, 1 failed");

        Map<String, RolloutStatus> done = Map.of(
                "a", status(RolloutState.HEALTHY),
                "b", status(RolloutState.HEALTHY));
        assertThat(progress.line(done, false)).as("too soon").isEmpty();
        assertThat(progress.line(done, true)).as("the last line, however soon").contains("rolled out 2/2, 0 failed");
    }
}
