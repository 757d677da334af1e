package dev.lockstep.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AppPathTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "apps/hello|apps/hello",
                "./apps/hello/|apps/hello",
                "/apps/hello|apps/hello",
                "apps//hello/./x|apps/hello/x",
                "''|''",
                ".|''",
                "/|''",
                "./|''",
                "..foo/bar..|..foo/bar.."
            })
    void normalizes(String input, String expected) {
        assertThat(AppPath.normalize(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x", "a/../../etc", "a/..", "/..", "a\\b", "C:/x", "~/x", "a\nb"})
    void rejectsEscapes(String input) {
        assertThatThrownBy(() -> AppPath.normalize(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("app path");
    }
}
