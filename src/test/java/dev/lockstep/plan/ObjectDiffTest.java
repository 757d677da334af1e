package dev.lockstep.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.SecretMask;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectDiffTest {
    private static final String VALUE = "s3cret-Q7xZ";
    private static final String ENCODED = Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8));

    private static Map<String, Object> secret(String encoded, Map<String, Object> annotations) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "db");
        metadata.put("namespace", "shop");
        if (!annotations.isEmpty()) {
            metadata.put("annotations", annotations);
        }
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        secret.put("metadata", metadata);
        secret.put("data", Map.of("password", encoded));
        secret.put("type", "Opaque");
        return secret;
    }

    /** kubectl's client-side apply wrote the Secret first; git takes it over and the annotation goes. */
    @Test
    void aSecretAdoptedFromKubectlApplyShowsTheAnnotationGoWithoutItsContent() {
        String lastApplied = "{\"apiVersion\":\"v1\",\"data\":{\"password\":\"" + ENCODED
                + "\"},\"kind\":\"Secret\",\"metadata\":{\"annotations\":{},\"name\":\"db\",\"namespace\":\"shop\"},"
                + "\"type\":\"Opaque\"}\n";
        Map<String, Object> live = secret(ENCODED, Map.of(SecretMask.LAST_APPLIED, lastApplied));
        Map<String, Object> predicted = secret(ENCODED, Map.of());

        String diff = ObjectDiff.unified("v1/Secret/shop/db", live, predicted);

        assertThat(diff)
                .doesNotContain(ENCODED)
                .doesNotContain(VALUE)
                .contains("-    kubectl.kubernetes.io/last-applied-configuration: '<hidden, " + lastApplied.length()
                        + " bytes: embeds")
                .contains("   password: '***'");
    }

    @Test
    void aChangedSecretValueShowsAsChanged() {
        String changed = Base64.getEncoder().encodeToString("n3w-value".getBytes(StandardCharsets.UTF_8));

        String diff = ObjectDiff.unified("v1/Secret/shop/db", secret(ENCODED, Map.of()), secret(changed, Map.of()));

        assertThat(diff)
                .doesNotContain(ENCODED)
                .doesNotContain(changed)
                .contains("-  password: '***'")
                .contains("+  password: '*** (changed)'");
    }
}
