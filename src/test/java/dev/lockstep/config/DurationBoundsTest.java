package dev.lockstep.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code interval} is loaded only from 1s to 24h, so no value overflows when the next pass is scheduled. */
class DurationBoundsTest {
    private static final String APP = """
            apps:
              - name: hello
                namespace: hello
                repo: {url: "https://git.example.com/acme/deploy.git"}
                interval: %s
            """;

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("1s", Duration.ofSeconds(1)),
                Arguments.of("1000ms", Duration.ofSeconds(1)),
                Arguments.of("30s", Duration.ofSeconds(30)),
                Arguments.of("5m", Duration.ofMinutes(5)),
                Arguments.of("1440m", Duration.ofHours(24)),
                Arguments.of("24h", Duration.ofHours(24)));
    }

    static Stream<Arguments> refused() {
        String range = "is out of range: must be from 1s to 24h";
        return Stream.of(
                Arguments.of("999ms", "\"999ms\" " + range),
                Arguments.of("0s", "\"0s\" " + range),
                Arguments.of("86401s", "\"86401s\" " + range),
                Arguments.of("25h", "\"25h\" " + range),
                // overflowed when the next pass was scheduled, outside the loop's error handling
                Arguments.of("5000000000000h", "\"5000000000000h\" " + range),
                // 20 digits: a NumberFormatException that named no field
                Arguments.of("99999999999999999999s", "\"99999999999999999999s\" " + range),
                Arguments.of("\"3 minutes\"", "\"3 minutes\" is not a duration (use e.g. 500ms, 30s, 5m, 1h)"),
                Arguments.of("-5s", "\"-5s\" is not a duration (use e.g. 500ms, 30s, 5m, 1h)"),
                Arguments.of("30", "\"30\" is not a duration (use e.g. 500ms, 30s, 5m, 1h)"));
    }

    @ParameterizedTest(name = "interval: {0}")
    @MethodSource("accepted")
    void anIntervalInRangeLoads(String written, Duration expected) throws Exception {
        AppSpec app = new ConfigLoader()
                .parse("lockstep.yaml", APP.formatted(written), null)
                .apps()
                .get(0);
        assertThat(app.interval()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "interval: {0}")
    @MethodSource("refused")
    void anIntervalOutOfRangeOrUnreadableIsAConfigErrorNamingTheFileAndField(String written, String problem) {
        assertThatThrownBy(() -> new ConfigLoader().parse("lockstep.yaml", APP.formatted(written), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("lockstep.yaml: invalid configuration")
                .extracting(e -> ((ConfigException) e).problems())
                .asList()
                .containsExactly("apps[0].interval: " + problem);
    }
}
