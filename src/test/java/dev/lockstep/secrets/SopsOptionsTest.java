package dev.lockstep.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.model.SourceFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sops settings no published fixture uses (encrypted_regex, mac_only_encrypted), sops' dotenv form for an age
 * recipient, and what is refused: key groups, comment regexes. Documents come from {@link SopsTestEncryptor}.
 */
class SopsOptionsTest {
    @TempDir
    Path tmp;

    private final SopsDecryptor decryptor = new SopsDecryptor();
    private SopsTestEncryptor.AgeKeyPair pair;
    private SopsKeys keys;

    @BeforeEach
    void keys() throws Exception {
        pair = SopsTestEncryptor.newAgeKeyPair();
        assertThat(pair.identity()).startsWith("AGE-SECRET-KEY-1");
        assertThat(pair.recipient()).startsWith("age1");
        Path file = tmp.resolve("keys.agekey");
        Files.writeString(file, "# created for a test\n" + pair.identity() + "\n");
        keys = SopsKeys.age(file);
    }

    private static Map<String, Object> secret() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "db");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("password", "hunter2-s3cret");
        data.put("port", 5432);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "v1");
        doc.put("kind", "Secret");
        doc.put("metadata", metadata);
        doc.put("stringData", data);
        return doc;
    }

    private static SourceFile file(String name, String text) {
        return new SourceFile(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private String plain(SourceFile file) throws SopsException {
        return new String(decryptor.decrypt(file, keys).orElseThrow().content(), StandardCharsets.UTF_8);
    }

    @Test
    void encryptedRegexLeavesTheManifestsShapeReadable() throws Exception {
        String text = SopsTestEncryptor.forAge(pair.recipient())
                .withEncryptedRegex("^(data|stringData)$", false)
                .yaml(secret());
        assertThat(text).contains("kind: Secret", "name: db").doesNotContain("hunter2");

        DecryptedFile decrypted =
                decryptor.decrypt(file("secret.yaml", text), keys).orElseThrow();

        assertThat(new String(decrypted.content(), StandardCharsets.UTF_8))
                .isEqualTo("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n"
                        + "  password: hunter2-s3cret\n  port: 5432\n");
        assertThat(decrypted.secretValues()).containsExactly("hunter2-s3cret");
    }

    @Test
    void macOnlyEncryptedLeavesThePlainValuesOutOfTheMac() throws Exception {
        String text = SopsTestEncryptor.forAge(pair.recipient())
                .withEncryptedRegex("^stringData$", true)
                .yaml(secret());
        String renamed = text.replace("name: db", "name: other");

        assertThat(plain(file("secret.yaml", renamed))).contains("name: other", "password: hunter2-s3cret");
    }

    @Test
    void withoutMacOnlyEncryptedAChangedPlainValueFailsTheMac() throws Exception {
        String text = SopsTestEncryptor.forAge(pair.recipient())
                .withEncryptedRegex("^stringData$", false)
                .yaml(secret());
        String renamed = text.replace("name: db", "name: other");

        assertThatThrownBy(() -> plain(file("secret.yaml", renamed)))
                .isInstanceOf(SopsException.class)
                .hasMessageContaining("MAC mismatch");
    }

    @Test
    void dotenvForAnAgeRecipient() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("API_TOKEN", "tok-123\nline2");
        entries.put("USER", "admin");
        String text = SopsTestEncryptor.forAge(pair.recipient()).dotenv(entries);

        DecryptedFile decrypted = decryptor.decrypt(file("app.env", text), keys).orElseThrow();

        assertThat(new String(decrypted.content(), StandardCharsets.UTF_8))
                .isEqualTo("API_TOKEN=tok-123\\nline2\nUSER=admin\n");
        assertThat(decrypted.secretValues()).containsExactlyInAnyOrder("tok-123\nline2", "admin");
    }

    @Test
    void aPlainDocumentAddedToAnEncryptedFileIsRefused() throws Exception {
        String one = SopsTestEncryptor.forAge(pair.recipient()).yaml(secret());
        // every document of a file is walked: a plain one slipped in after the encrypted one is refused
        String text = one + "---\nkind: ConfigMap\n";

        assertThatThrownBy(() -> plain(file("two.yaml", text)))
                .isInstanceOf(SopsException.class)
                .hasMessageContaining("two.yaml: key path kind: not a sops encrypted value");
    }

    @Test
    void keyGroupsAndCommentRegexesAreRefused() throws Exception {
        String text = SopsTestEncryptor.forAge(pair.recipient()).yaml(secret());

        assertThatThrownBy(() -> plain(file("g.yaml", text.replace("sops:\n", "sops:\n  key_groups:\n  - age: []\n"))))
                .hasMessage("g.yaml: sops.key_groups (Shamir secret sharing over several key groups) is not supported");
        assertThatThrownBy(
                        () -> plain(file("c.yaml", text.replace("sops:\n", "sops:\n  encrypted_comment_regex: x\n"))))
                .hasMessage("c.yaml: sops.encrypted_comment_regex is not supported");
    }

    @Test
    void aKeyFileThatIsNotAgeIsNamedWithoutItsContent() throws Exception {
        Path bad = tmp.resolve("bad.agekey");
        Files.writeString(bad, "AGE-SECRET-KEY-1NOTAKEY\n");
        String text = SopsTestEncryptor.forAge(pair.recipient()).yaml(secret());

        assertThatThrownBy(() -> decryptor.decrypt(file("s.yaml", text), SopsKeys.age(bad)))
                .hasMessage("s.yaml: decrypt.sops.ageKeyFile: " + bad + " line 1 is not an age X25519 identity"
                        + " (AGE-SECRET-KEY-1…)");
    }
}
