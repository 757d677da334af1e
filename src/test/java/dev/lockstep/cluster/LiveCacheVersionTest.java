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
}
