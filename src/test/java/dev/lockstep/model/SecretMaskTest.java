package dev.lockstep.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskTest {
    private static final String VALUE = "s3cret-Q7xZ";
    private static final String ENCODED = base64(VALUE);

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** What client-side {@code kubectl apply} leaves on a Secret: the whole manifest, value included. */
    private static String lastApplied(String stringValue) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"annotations\":{},\"name\":\"db\"},"
                + "\"stringData\":{\"password\":\"" + stringValue + "\"}}\n";
    }

    private static Map<String, Object> secret(String encoded, Map<String, Object> annotations) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "db");
        metadata.put("annotations", annotations);
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        secret.put("metadata", metadata);
        secret.put("data", new LinkedHashMap<>(Map.of("password", encoded)));
        secret.put("stringData", new LinkedHashMap<>(Map.of("token", VALUE)));
        return secret;
    }

    @Test
    void aSecretKeepsItsKeysAndLosesItsValuesAndEveryAnnotationThatEmbedsThem() {
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put(SecretMask.LAST_APPLIED, lastApplied(VALUE));
        annotations.put("note", "rotated to " + VALUE);
        annotations.put("team", "payments");
        Map<String, Object> original = secret(ENCODED, annotations);

        Map<String, Object> masked = SecretMask.masked(original);

        assertThat(masked.toString()).doesNotContain(VALUE).doesNotContain(ENCODED);
        assertThat(masked.get("data")).isEqualTo(Map.of("password", SecretMask.HIDDEN));
        assertThat(masked.get("stringData")).isEqualTo(Map.of("token", SecretMask.HIDDEN));
        @SuppressWarnings("unchecked")
        Map<String, Object> shown =
                (Map<String, Object>) ((Map<String, Object>) masked.get("metadata")).get("annotations");
        assertThat(shown)
                .containsEntry(
                        SecretMask.LAST_APPLIED,
                        "<hidden, " + lastApplied(VALUE).length() + " bytes: embeds Secret data>")
                .containsEntry("note", "<hidden, " + ("rotated to " + VALUE).length() + " bytes: embeds Secret data>")
                .containsEntry("team", "payments");
        assertThat(original.toString()).as("the input is not changed").contains(VALUE);
    }

    @Test
    void aChangedValueOrAnnotationShowsAsChangedWithoutItsContent() {
        Map<String, Object> before =
                secret(ENCODED, new LinkedHashMap<>(Map.of(SecretMask.LAST_APPLIED, lastApplied(VALUE))));
        Map<String, Object> after = secret(
                base64("n3w-" + VALUE), new LinkedHashMap<>(Map.of(SecretMask.LAST_APPLIED, lastApplied("n3w"))));

        SecretMask.Pair pair = SecretMask.pair(before, after);

        assertThat(pair.after().get("data")).isEqualTo(Map.of("password", SecretMask.CHANGED));
        assertThat(pair.before().get("data")).isEqualTo(Map.of("password", SecretMask.HIDDEN));
        assertThat(pair.after().toString())
                .contains("<changed, " + lastApplied("n3w").length() + " bytes, hidden: embeds Secret data>")
                .doesNotContain("n3w");
        assertThat(pair.before().toString())
                .contains("<hidden, " + lastApplied(VALUE).length() + " bytes: embeds Secret data>");
    }

    @Test
    void otherObjectsPassThroughAndSecretsInsideAnyTreeAreFound() {
        Map<String, Object> configMap = Map.of(
                "apiVersion",
                "v1",
                "kind",
                "ConfigMap",
                "metadata",
                Map.of("annotations", Map.of(SecretMask.LAST_APPLIED, "{\"data\":{\"a\":\"b\"}}")),
                "data",
                Map.of("a", "b"));
        assertThat(SecretMask.masked(configMap)).isSameAs(configMap);

        Object feed = Map.of("apps", List.of(Map.of("objects", List.of(configMap, secret(ENCODED, Map.of())))));
        assertThat(SecretMask.maskedTree(feed).toString())
                .doesNotContain(ENCODED)
                .doesNotContain(VALUE)
                .contains("a=b");
    }

    @Test
    void aManifestPrintsWithoutItsValues() {
        Manifest manifest = new Manifest(
                ResourceKey.of("v1", "Secret", "shop", "db"), "v1", secret(ENCODED, Map.of()), "app/db.yaml", 1);

        assertThat(manifest.toString())
                .doesNotContain(ENCODED)
                .doesNotContain(VALUE)
                .contains("app/db.yaml");
    }
}
