package dev.lockstep.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FingerprintTest {
    private static final Map<String, Object> BODY = Map.of("spec", Map.of("replicas", 2, "paused", false));

    @Test
    void sameWhereTheComparisonSaysSame() {
        String fp = Fingerprint.of(BODY, Map.of("spec", Map.of("replicas", 2L, "paused", false)));
        assertThat(Fingerprint.of(BODY, Map.of("spec", Map.of("paused", false, "replicas", 2.0, "x", List.of()))))
                .as("key order, number type and empty values do not matter")
                .isEqualTo(fp);
    }

    @Test
    void differsWhenTheBodyOrTheLiveProjectionMoves() {
        String fp = Fingerprint.of(BODY, BODY);
        assertThat(Fingerprint.of(BODY, Map.of("spec", Map.of("replicas", 3, "paused", false))))
                .isNotEqualTo(fp);
        assertThat(Fingerprint.of(Map.of("spec", Map.of("replicas", 3, "paused", false)), BODY))
                .isNotEqualTo(fp);
        assertThat(Fingerprint.of(BODY, Map.of("spec", Map.of("replicas", 2, "paused", "false"))))
                .as("a string is not a boolean")
                .isNotEqualTo(fp);
    }
}
