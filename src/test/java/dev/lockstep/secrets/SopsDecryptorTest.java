package dev.lockstep.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.model.SourceFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decrypts files the real sops wrote (getsops/sops' examples and functional-test files) with its published keys, and
 * refuses what sops refuses: a changed value, a changed MAC, no MAC, a wrong key, no key, a KMS-only file. Errors
 * name the file and the key path, never a value.
 */
class SopsDecryptorTest {
    private static final List<String> EXAMPLE_SECRETS =
            List.of("t00m4nys3cr3tzupdated", "eve", "c4r1b0u", "secretuser1", "with something secret in it");

    @TempDir
    Path tmp;

    private final SopsDecryptor decryptor = new SopsDecryptor();

    private DecryptedFile decrypt(SourceFile file, SopsKeys keys) throws SopsException {
        return decryptor.decrypt(file, keys).orElseThrow();
    }

    private String plain(SourceFile file, SopsKeys keys) throws SopsException {
        return new String(decrypt(file, keys).content(), StandardCharsets.UTF_8);
    }

    private SopsKeys pgp() {
        return SopsKeys.openpgp(SopsFixtures.keyFile(tmp, "sops_functional_tests_key.asc"));
    }

    private SopsKeys age(String keyFixture) {
        return SopsKeys.age(SopsFixtures.keyFile(tmp, keyFixture));
    }

    @Test
    void yamlExampleOpensWithThePublishedOpenPgpKeyAndItsMacHolds() throws Exception {
        DecryptedFile decrypted = decrypt(SopsFixtures.file("example.yaml"), pgp());

        String text = new String(decrypted.content(), StandardCharsets.UTF_8);
        assertThat(text)
                .startsWith("myapp1: t00m4nys3cr3tzupdated\napp2:\n  db:\n    user: eve\n    password: c4r1b0u\n")
                .contains("  key: |\n    -----BEGIN RSA PRIVATE KEY-----\n")
                .contains("number: 1.234568E9\n")
                .contains("somebooleans:\n- true\n- false\n")
                .contains("        value: with something secret in it\n")
                .contains("somelist_unencrypted:\n- all elements of this list\n")
                .doesNotContain("sops", "ENC[");
        assertThat(decrypted.format()).isEqualTo(SopsFormat.YAML);
        assertThat(decrypted.secretValues())
                .containsAll(EXAMPLE_SECRETS)
                .doesNotContain("all elements of this list", "True", "1234568000");
        assertThat(decrypted.toString()).doesNotContain(EXAMPLE_SECRETS);
    }

    @Test
    void jsonExampleKeepsJsonAndItsTypes() throws Exception {
        String text = plain(SopsFixtures.file("example.json"), pgp());

        assertThat(text).startsWith("{\n\t\"firstName\": \"John\",\n\t\"lastName\": \"Smith\",\n");
        assertThat(text).doesNotContain("sops", "ENC[");
    }

    @Test
    void binaryExampleIsTheFilesBytes() throws Exception {
        DecryptedFile decrypted = decrypt(SopsFixtures.file("example.txt"), pgp());

        assertThat(decrypted.format()).isEqualTo(SopsFormat.BINARY);
        assertThat(new String(decrypted.content(), StandardCharsets.UTF_8)).startsWith("Welcome to SOPS!\n");
    }

    @Test
    void functionalTestFilesInYamlJsonAndDotenvForm() throws Exception {
        assertThat(plain(SopsFixtures.file("format.enc.yaml"), pgp())).isEqualTo("foo: bar\n");
        assertThat(plain(SopsFixtures.file("format.enc.json"), pgp())).isEqualTo("{\n\t\"foo\": \"bar\"\n}\n");
        DecryptedFile env = decrypt(SopsFixtures.file("format.enc.env"), pgp());
        assertThat(new String(env.content(), StandardCharsets.UTF_8)).isEqualTo("foo = bar\n");
        assertThat(env.secretValues()).containsExactly(" bar");
        assertThat(plain(SopsFixtures.file("multiple_keys.yaml"), pgp())).startsWith("message: ");
    }

    @Test
    void ageRecipientsOpenWithEitherIdentity() throws Exception {
        SourceFile file = SopsFixtures.file("example.age.yaml");

        assertThat(plain(file, age("age-test.agekey"))).startsWith("myapp1: t00m4nys3cr3tzupdated\n");
        assertThat(plain(file, age("age-other.agekey"))).startsWith("myapp1: t00m4nys3cr3tzupdated\n");
    }

    @Test
    void ageArmoredFileFromSopsTestsUnwraps() throws Exception {
        AgeIdentities identities = AgeIdentities.read(SopsFixtures.keyFile(tmp, "age-test.agekey"));

        byte[] plain = identities.unwrap(SopsFixtures.text("age-data-key.age"));

        assertThat(new String(plain, StandardCharsets.US_ASCII)).isEqualTo("data");
    }

    @Test
    void aRotatedKeyFileIsReadAtTheNextDecrypt() throws Exception {
        Path keyFile = tmp.resolve("keys.agekey");
        Files.write(keyFile, SopsFixtures.bytes("age-unrelated.agekey"));
        SopsKeys keys = SopsKeys.age(keyFile);
        SourceFile file = SopsFixtures.file("example.age.yaml");
        assertThatThrownBy(() -> decrypt(file, keys)).isInstanceOf(SopsException.class);

        Files.write(keyFile, SopsFixtures.bytes("age-test.agekey"));

        assertThat(plain(file, keys)).startsWith("myapp1: ");
    }

    @Test
    void oneChangedCiphertextByteIsRefusedNamingTheKeyPath() {
        String text = SopsFixtures.text("example.yaml");
        String original = "password: ENC[AES256_GCM,data:8Ll+TDCgzQ==";
        assertThat(text).contains(original);
        SourceFile tampered =
                SopsFixtures.file("example.yaml", text.replace(original, "password: ENC[AES256_GCM,data:8Ll+TDCgyQ=="));

        assertThatThrownBy(() -> decrypt(tampered, pgp()))
                .isInstanceOf(SopsException.class)
                .hasMessageStartingWith("secrets/example.yaml: key path app2.db.password does not decrypt")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(EXAMPLE_SECRETS));
    }

    @Test
    void aChangedUnencryptedValueFailsTheMac() {
        String text = SopsFixtures.text("example.yaml");
        SourceFile tampered = SopsFixtures.file(
                "example.yaml", text.replace("- remain in clear text", "- remain in clear text, changed"));

        assertThatThrownBy(() -> decrypt(tampered, pgp()))
                .isInstanceOf(SopsException.class)
                .hasMessage("secrets/example.yaml: MAC mismatch: the file was changed after sops encrypted it");
    }

    @Test
    void aValueDroppedFromTheFileFailsTheMac() {
        String text = SopsFixtures.text("example.yaml");
        String user = text.lines()
                .filter(l -> l.startsWith("        user: "))
                .findFirst()
                .orElseThrow();
        SourceFile tampered = SopsFixtures.file("example.yaml", text.replace(user + "\n", ""));

        assertThatThrownBy(() -> decrypt(tampered, pgp()))
                .isInstanceOf(SopsException.class)
                .hasMessageContaining("MAC mismatch");
    }

    @Test
    void oneChangedByteOfTheMacIsRefused() {
        String text = SopsFixtures.text("example.yaml");
        SourceFile tampered = SopsFixtures.file(
                "example.yaml", text.replace("mac: ENC[AES256_GCM,data:GCWO", "mac: ENC[AES256_GCM,data:GCWP"));

        assertThatThrownBy(() -> decrypt(tampered, pgp()))
                .isInstanceOf(SopsException.class)
                .hasMessageContaining("its MAC (sops.mac) does not decrypt");
    }

    @Test
    void aFileWithoutMacIsRefused() {
        assertThatThrownBy(() -> decrypt(SopsFixtures.file("no_mac.yaml"), pgp()))
                .isInstanceOf(SopsException.class)
                .hasMessage("secrets/no_mac.yaml: has no MAC (sops.mac): refused, as sops refuses it");
    }

    @Test
    void aWrongAgeKeyIsRefusedNamingTheFileAndTheRecipients() {
        assertThatThrownBy(() -> decrypt(SopsFixtures.file("example.age.yaml"), age("age-unrelated.agekey")))
                .isInstanceOf(SopsException.class)
                .hasMessageStartingWith("secrets/example.age.yaml: wrong key: no identity in decrypt.sops.ageKeyFile")
                .hasMessageContaining("age1lzd99uklcjnc0e7d860axevet2cz99ce9pq6tzuzd05l5nr28ams36nvun")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("AGE-SECRET-KEY"));
    }

    @Test
    void aKeyOfTheOtherKindNamesTheSettingThatIsMissing() {
        assertThatThrownBy(() -> decrypt(SopsFixtures.file("example.yaml"), age("age-test.agekey")))
                .isInstanceOf(SopsException.class)
                .hasMessageStartingWith(
                        "secrets/example.yaml: no key is configured to decrypt it: set decrypt.sops.openpgpKeyFile")
                .hasMessageContaining("FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4");
    }

    @Test
    void noKeyAtAllIsRefused() {
        assertThatThrownBy(() -> decrypt(SopsFixtures.file("example.age.yaml"), SopsKeys.none()))
                .isInstanceOf(SopsException.class)
                .hasMessageStartingWith(
                        "secrets/example.age.yaml: no key is configured to decrypt it: set decrypt.sops.ageKeyFile");
    }

    @Test
    void aKmsOnlyFileIsRefusedNamingTheService() {
        assertThatThrownBy(() -> decrypt(SopsFixtures.file("kms-only.yaml"), pgp()))
                .isInstanceOf(SopsException.class)
                .hasMessage("secrets/kms-only.yaml: is encrypted only for AWS KMS (sops.kms);"
                        + " Lockstep decrypts age and OpenPGP recipients only");
    }

    @Test
    void aPlainManifestIsNotASopsFile() throws Exception {
        SourceFile secret = SopsFixtures.file(
                "plain.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\nstringData:\n  lastmodified: x\n");

        assertThat(decryptor.isEncrypted(secret)).isFalse();
        assertThat(decryptor.decrypt(secret, SopsKeys.none())).isEmpty();
        assertThat(decryptor.isEncrypted(SopsFixtures.file("kms-only.yaml"))).isTrue();
        assertThat(decryptor.isEncrypted(SopsFixtures.file("format.enc.env"))).isTrue();
    }
}
