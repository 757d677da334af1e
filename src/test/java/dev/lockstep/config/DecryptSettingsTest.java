package dev.lockstep.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code apps[].decrypt.sops}: the key files, relative to the config; unknown keys and an empty block refused. */
class DecryptSettingsTest {
    private static final String APP = """
            apps:
              - name: shop
                repo: {url: "https://git.example.com/acme/deploy.git"}
                namespace: shop
            """;
    private final ConfigLoader loader = new ConfigLoader();

    private AppSpec app(String decrypt) throws ConfigException {
        return loader.parse("lockstep.yaml", APP + decrypt, Path.of("/etc/lockstep"))
                .apps()
                .get(0);
    }

    @Test
    void withoutDecryptAnEncryptedFileWillBeRefused() throws Exception {
        assertThat(app("").decrypt()).isEqualTo(DecryptSpec.NONE);
    }

    @Test
    void keyFilesAreReadRelativeToTheConfig() throws Exception {
        DecryptSpec decrypt = app("""
                    decrypt:
                      sops:
                        ageKeyFile: sops/keys.agekey
                        openpgpKeyFile: /keys/private.asc
                """).decrypt();

        assertThat(decrypt.sops()).isTrue();
        assertThat(decrypt.ageKeyFile()).hasValue(Path.of("/etc/lockstep/sops/keys.agekey"));
        assertThat(decrypt.openpgpKeyFile()).hasValue(Path.of("/keys/private.asc"));
    }

    @Test
    void unknownKeysAndAnEmptySopsBlockAreErrors() {
        assertThatThrownBy(() -> app("""
                    decrypt:
                      vault: {address: x}
                """)).hasMessageContaining("apps[0].decrypt.vault: unknown field (allowed: sops)");
        assertThatThrownBy(() -> app("""
                    decrypt:
                      sops: {ageKeyFile: k, kmsArn: x}
                """)).hasMessageContaining("apps[0].decrypt.sops.kmsArn: unknown field");
        assertThatThrownBy(() -> app("""
                    decrypt:
                      sops: {}
                """)).hasMessageContaining("decrypt.sops names ageKeyFile or openpgpKeyFile");
    }
}
