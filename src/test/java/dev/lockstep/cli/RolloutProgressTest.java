package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutProgressTest {
    private static RolloutStatus status(RolloutState state) {
        return new RolloutStatus(state, "", 1);
    }

    /** A clock the test moves forward, so the two-second spacing is seen from both sides. */
    private static final class SteppedClock extends Clock {
        private Instant now;

        SteppedClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void oneLineWhenTheCountsMoveAtMostEveryTwoSecondsAndAlwaysTheLast() {
        SteppedClock clock = new SteppedClock(Instant.parse("2026-01-01T00:00:00Z"));
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
