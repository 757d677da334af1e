package dev.lockstep.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.SecretMask;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The plan's values that carry whole objects print through {@link SecretMask}: a log line of one leaks nothing. */
class PrintedSecretTest {
    private static final String VALUE = "s3cret-Q7xZ";
    private static final String ENCODED = Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8));
    private static final Map<String, Object> SECRET = Map.of(
            "apiVersion",
            "v1",
            "kind",
            "Secret",
            "metadata",
            Map.of(
                    "name",
                    "db",
                    "annotations",
                    Map.of(SecretMask.LAST_APPLIED, "{\"data\":{\"password\":\"" + ENCODED + "\"}}")),
            "data",
            Map.of("password", ENCODED));

    @Test
    void aChangeAnExpectationAndAnApplyPrintWithoutTheValue() {
        Manifest manifest = new Manifest(ResourceKey.of("v1", "Secret", "shop", "db"), "v1", SECRET, "app/db.yaml", 3);
        Change change =
                new Change(manifest, Action.UPDATE, SECRET, Optional.of(SECRET), Optional.of(SECRET), Optional.empty());

        for (Object printed :
                new Object[] {change, Expectation.of("v1", SECRET, SECRET), new Applier.Applied(change, SECRET)}) {
            assertThat(printed.toString())
                    .contains("kind=Secret")
                    .doesNotContain(ENCODED)
                    .doesNotContain(VALUE);
        }
    }
}
