package dev.lockstep.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every JSON feed is written through {@link dev.lockstep.model.SecretMask}: an object in a view leaks no value. */
class FeedMaskTest {
    private static final String ENCODED = "czNjcmV0LVE3eFo=";

    @Test
    void aSecretAnywhereInAFeedIsMasked() {
        record View(String app, List<Object> objects) {}
        Map<String, Object> secret = Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Secret",
                "metadata",
                Map.of("name", "db"),
                "data",
                Map.of("password", ENCODED));

        String line = Responses.jsonLine(new View(
                "hello", List.of(secret, Map.of("kind", "ConfigMap", "data", Map.of("a", "b")))));

        assertThat(line)
                .doesNotContain(ENCODED)
                .contains("\"password\":\"***\"")
                .contains("\"app\":\"hello\"")
                .contains("\"a\":\"b\"");
    }
}
