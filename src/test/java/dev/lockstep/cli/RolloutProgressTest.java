package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutProgressTest {
    private static RolloutStatus status(RolloutState state) {
        return new RolloutStatus(state, "", 1);
    }

    @Test
    void oneLineWhenTheCountsMoveAtMostEveryTwoSecondsAndAlwaysTheLast() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        RolloutProgress early = new RolloutProgress(Clock.fixed(t0, ZoneOffset.UTC));
        Map<String, RolloutStatus> two = Map.of(
                "a", status(RolloutState.HEALTHY),
                "b", status(RolloutState.PROGRESSING));
        assertThat(early.line(two, false)).contains("rolled out 1/2, 0 failed");
        assertThat(early.line(two, false)).as("same counts").isEmpty();
        Map<String, RolloutStatus> failed = Map.of(
                "a", status(RolloutState.HEALTHY),
                "b", status(RolloutState.FAILED));
        assertThat(early.line(failed, false)).as("too soon").isEmpty();
        assertThat(early.line(failed, true)).as("the last line").contains("rolled out 1/2, 1 failed");

        RolloutProgress later = new RolloutProgress(Clock.offset(Clock.fixed(t0, ZoneOffset.UTC), Duration.ZERO));
        assertThat(later.line(two, false)).isPresent();
    }
}
