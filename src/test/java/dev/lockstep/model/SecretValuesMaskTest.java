package dev.lockstep.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.plan.ObjectDiff;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Values that were encrypted in git (SOPS) are hidden in any object and any text, not only in Secrets: an env value
 * of a Deployment, a ConfigMap entry, an error that quotes one. A diff still says that such a value changed.
 */
class SecretValuesMaskTest {
    private static final String PASSWORD = "hunter2-passw0rd";
    private static final String PEM = "-----BEGIN KEY-----\nMIIBPAIBAAJBAPTMNIyHuZtp\n-----END KEY-----\n";

    private static Map<String, Object> deployment(String env) {
        Map<String, Object> var = new LinkedHashMap<>();
        var.put("name", "DB_PASSWORD");
        var.put("value", env);
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", "app");
        container.put("env", List.of(var));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "apps/v1");
        doc.put("kind", "Deployment");
        doc.put("metadata", new LinkedHashMap<>(Map.of("name", "web")));
        doc.put(
                "spec",
                new LinkedHashMap<>(Map.of(
                        "template",
                        new LinkedHashMap<>(
                                Map.of("spec", new LinkedHashMap<>(Map.of("containers", List.of(container))))))));
        return doc;
    }

    @Test
    void aDeploymentEnvValueIsHiddenInItsDiffAndItsChangeStillShows() {
        String created = ObjectDiff.unified("Deployment/web", null, deployment(PASSWORD), Set.of(PASSWORD));
        assertThat(created).contains("value: '***'").doesNotContain(PASSWORD);

        String changed = ObjectDiff.unified(
                "Deployment/web", deployment("old-passw0rd"), deployment(PASSWORD), Set.of(PASSWORD, "old-passw0rd"));
        assertThat(changed).contains("+", "*** (changed)").doesNotContain(PASSWORD, "old-passw0rd");
    }

    /** {@code lockstep diff} of a rotation knows only the new commit's values; the live, older one is hidden too. */
    @Test
    void theValueARotationReplacesIsHiddenThoughOnlyTheNewOneIsKnown() {
        String rotated = ObjectDiff.unified(
                "Deployment/web", deployment("old-passw0rd"), deployment(PASSWORD), Set.of(PASSWORD));
        assertThat(rotated).contains("*** (changed)").doesNotContain(PASSWORD, "old-passw0rd");
    }

    @Test
    void withoutSecretValuesNothingElseIsHidden() {
        assertThat(ObjectDiff.unified("Deployment/web", null, deployment(PASSWORD)))
                .contains(PASSWORD);
    }

    @Test
    void textHidesTheValueItsLinesAndItsBase64() {
        String base64 = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
        String error =
                "env[0].value: Invalid value: \"" + PASSWORD + "\" (" + base64 + ") line MIIBPAIBAAJBAPTMNIyHuZtp";

        String masked = SecretMask.maskedText(error, Set.of(PASSWORD, PEM));

        assertThat(masked)
                .doesNotContain(PASSWORD, base64, "MIIBPAIBAAJBAPTMNIyHuZtp")
                .contains("***");
    }

    @Test
    void aShortValueIsHiddenOnlyWhereItIsTheWholeString() {
        Object masked = SecretMask.maskedTree(Map.of("port", "8080", "note", "listens on 8080"), Set.of("8080"));

        assertThat(masked).isEqualTo(Map.of("port", "***", "note", "listens on 8080"));
    }
}
