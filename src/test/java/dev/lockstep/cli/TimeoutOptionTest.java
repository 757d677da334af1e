package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code sync --timeout} takes 1s to 1h; anything else is a usage error naming the option, before any work. */
class TimeoutOptionTest {
    static Stream<Arguments> refused() {
        String range = "is out of range: must be from 1s to 1h";
        return Stream.of(
                Arguments.of("0s", "\"0s\" " + range),
                Arguments.of("500ms", "\"500ms\" " + range),
                Arguments.of("61m", "\"61m\" " + range),
                Arguments.of("2h", "\"2h\" " + range),
                Arguments.of("5000000000000h", "\"5000000000000h\" " + range),
                Arguments.of("99999999999999999999s", "\"99999999999999999999s\" " + range),
                Arguments.of("soon", "\"soon\" is not a duration (use e.g. 500ms, 30s, 5m, 1h)"));
    }

    @ParameterizedTest(name = "--timeout {0}")
    @MethodSource("refused")
    void aTimeoutOutOfRangeOrUnreadableExitsTwoNamingTheOption(String value, String problem) {
        CliTest.Result r = CliTest.run("sync", "--config", "unread.yaml", "--timeout", value);
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("Invalid value for option '--timeout': " + problem);
    }
}
