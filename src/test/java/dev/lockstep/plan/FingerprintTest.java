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

    /**
     * Records in clusters hold digests made by earlier versions: a change to the bytes fed would make every object of
     * every app look changed after an upgrade (one dry run each). This digest was made by the version that first kept
     * fingerprints.
     */
    @Test
    void theDigestOfAKnownObjectDoesNotChangeBetweenVersions() {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("apiVersion", "v1");
        body.put("kind", "ConfigMap");
        body.put("metadata", Map.of("name", "cfg", "labels", Map.of("b", "2", "a", "1")));
        body.put("data", Map.of("k", "v\u00e4lue"));
        body.put("spec", Map.of("replicas", 2, "list", List.of(1.5, "x", true), "empty", Map.of()));
        Object projection = Map.of("metadata", Map.of("name", "cfg"), "data", Map.of("k", "v\u00e4lue"));

        assertThat(Fingerprint.of(body, projection)).isEqualTo("bLayDhZG55XMye0q");
    }
}
