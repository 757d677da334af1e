package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LiveCacheVersionTest {
    @Test
    void ordersNumericResourceVersionsAndFallsBackToEqualityOtherwise() {
        assertThat(LiveCache.atOrAfter("120", "99")).isTrue();
        assertThat(LiveCache.atOrAfter("99", "99")).isTrue();
        assertThat(LiveCache.atOrAfter("98", "99")).isFalse();
        assertThat(LiveCache.atOrAfter("abc", "abc")).isTrue();
        assertThat(LiveCache.atOrAfter("abd", "abc")).isFalse();
        assertThat(LiveCache.atOrAfter(null, "1")).isFalse();
    }

    @Test
    void theProbeStartsFromTheNewerOfTheInformersVersionAndTheProvenOneAndKeepsTheInformersWhenUnordered() {
        assertThat(LiveCache.newest("120", "99")).isEqualTo("120");
        assertThat(LiveCache.newest("99", "120")).isEqualTo("120");
        assertThat(LiveCache.newest("99", null)).isEqualTo("99");
        assertThat(LiveCache.newest(null, "99")).isEqualTo("99");
        assertThat(LiveCache.newest("", "99")).isEqualTo("99");
        assertThat(LiveCache.newest("abc", "abd")).isEqualTo("abc");
    }
}
