package dev.lockstep.reconcile.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.config.DecryptSpec;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.secrets.SopsTestEncryptor;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.util.Tree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SOPS documents in an app, through whole passes on a real git repository: decrypted in memory and applied, never
 * re-applied while nothing changed, refused with the file named when the app has no key or the wrong one, and through
 * a real kustomize (namePrefix, labels, a secretGenerator reading an encrypted dotenv file) without any plaintext
 * written under the render directory.
 */
class SopsPassTest {
    private static final String PASSWORD = "s3cr3t-passw0rd-for-db";
    private static final String TOKEN = "tok-9f8e7d6c5b4a";
    private static final ResourceKey SECRET = ResourceKey.of("v1", "Secret", PassFixture.NS, "db");

    @TempDir
    Path tmp;

    private PassFixture f;
    private SopsTestEncryptor.AgeKeyPair pair;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private void fixture(boolean withKey) throws Exception {
        pair = SopsTestEncryptor.newAgeKeyPair();
        Path keyFile = tmp.resolve("keys.agekey");
        Files.writeString(keyFile, pair.identity() + "\n");
        DecryptSpec decrypt =
                withKey ? new DecryptSpec(true, Optional.of(keyFile), Optional.empty()) : DecryptSpec.NONE;
        f = new PassFixture(tmp, a -> AppSpecs.withDecrypt(a, decrypt));
    }

    private String encryptedSecret(String name, String password) throws Exception {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("password", password);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "v1");
        doc.put("kind", "Secret");
        doc.put("metadata", metadata);
        doc.put("stringData", data);
        return SopsTestEncryptor.forAge(pair.recipient())
                .withEncryptedRegex("^(data|stringData)$", false)
                .yaml(doc);
    }

    @Test
    void anEncryptedSecretIsAppliedDecryptedAndNotAppliedAgainWhileNothingChanged() throws Exception {
        fixture(true);
        f.commitApp("hello:v1", "v1");
        f.repo.write("app/secret.yaml", encryptedSecret("db", PASSWORD));
        f.repo.commit("add the db Secret, encrypted");
        AppReconciler app = f.reconciler();

        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        Map<String, Object> secret = f.cluster.object(SECRET).orElseThrow();
        assertThat(Tree.string(secret, "stringData", "password").orElse(null)).isEqualTo(PASSWORD);
        assertThat(secret).doesNotContainKey("sops");
        f.cluster.clearCalls();
        app.reconcile();
        assertThat(f.cluster.calls("apply"))
                .as("no drift loop: decrypted equals live")
                .isEmpty();
    }

    @Test
    void anEncryptedFileInAnAppWithoutDecryptSopsStallsNamingTheFileAndTheSetting() throws Exception {
        fixture(false);
        f.commitApp("hello:v1", "v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        f.repo.write("app/secret.yaml", encryptedSecret("db", PASSWORD));
        String bad = f.repo.commit("add the db Secret, encrypted");
        var before = f.cluster.snapshot();

        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);

        assertThat(f.cluster.snapshot()).isEqualTo(before);
        assertThat(app.status().errors())
                .singleElement()
                .asString()
                .isEqualTo("commit " + bad.substring(0, 7) + ": app/secret.yaml: is SOPS-encrypted, but the app sets no"
                        + " decrypt.sops (ageKeyFile or openpgpKeyFile) (nothing applied, nothing pruned)");
    }

    @Test
    void aWrongKeyOrAChangedValueStallsTheWholeCommit() throws Exception {
        fixture(true);
        f.commitApp("hello:v1", "v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        String text = encryptedSecret("db", PASSWORD);
        f.repo.write("app/secret.yaml", text.replace("name: db", "name: db2"));
        f.repo.write("app/config.yaml", dev.lockstep.testing.HelloApp.configMap("settings", "2"));
        String bad = f.repo.commit("a renamed Secret, without sops");
        var before = f.cluster.snapshot();

        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);

        assertThat(f.cluster.snapshot()).as("not even the ConfigMap").isEqualTo(before);
        assertThat(app.status().errors())
                .singleElement()
                .asString()
                .startsWith("commit " + bad.substring(0, 7) + ": app/secret.yaml: MAC mismatch")
                .doesNotContain(PASSWORD);
    }

    @Test
    void aWrongKeyAndAKmsOnlyFileStallNamingTheFileWithTheClusterUnchanged() throws Exception {
        fixture(true);
        f.commitApp("hello:v1", "v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        var before = f.cluster.snapshot();
        SopsTestEncryptor.AgeKeyPair stranger = SopsTestEncryptor.newAgeKeyPair();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "v1");
        doc.put("kind", "Secret");
        doc.put("metadata", new LinkedHashMap<>(Map.of("name", "db")));
        doc.put("stringData", new LinkedHashMap<>(Map.of("password", PASSWORD)));
        f.repo.write(
                "app/secret.yaml",
                SopsTestEncryptor.forAge(stranger.recipient()).yaml(doc));
        String wrong = f.repo.commit("encrypted for someone else");

        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);
        assertThat(app.status().errors())
                .singleElement()
                .asString()
                .startsWith("commit " + wrong.substring(0, 7) + ": app/secret.yaml: wrong key: no identity in"
                        + " decrypt.sops.ageKeyFile")
                .contains(stranger.recipient());

        try (var in = getClass().getResourceAsStream("/sops/kms-only.yaml")) {
            f.repo.write("app/secret.yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        String kms = f.repo.commit("encrypted with AWS KMS only");

        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);
        assertThat(app.status().errors())
                .singleElement()
                .asString()
                .isEqualTo("commit " + kms.substring(0, 7) + ": app/secret.yaml: is encrypted only for AWS KMS"
                        + " (sops.kms); Lockstep decrypts age and OpenPGP recipients only (nothing applied, nothing"
                        + " pruned)");
        assertThat(f.cluster.snapshot()).isEqualTo(before);
    }

    @Test
    void anErrorThatQuotesADecryptedValueReachesTheStatusMasked() throws Exception {
        fixture(true);
        f.commitApp("hello:v1", "v1");
        f.repo.write("app/secret.yaml", encryptedSecret("db", PASSWORD));
        f.repo.commit("add the db Secret, encrypted");
        f.cluster.failDryRun(SECRET, 422, "stringData.password: Invalid value: \"" + PASSWORD + "\"");
        AppReconciler app = f.reconciler();

        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);

        assertThat(app.status().errors()).singleElement().asString().contains("Invalid value: \"***\"");
        assertThat(String.valueOf(app.status())).doesNotContain(PASSWORD);
        assertThat(f.listener.heard("rejected").toString()).doesNotContain(PASSWORD);
    }

    @Test
    void kustomizeSeesDecryptedInputsInAPrivateDirectoryAndNothingPlainIsLeftOnDisk() throws Exception {
        fixture(true);
        f.repo.write("app/deployment.yaml", dev.lockstep.testing.HelloApp.deployment("hello:v1"));
        f.repo.write("app/secret.enc.yaml", encryptedSecret("db", PASSWORD));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("API_TOKEN", TOKEN);
        f.repo.write("app/app.env", SopsTestEncryptor.forAge(pair.recipient()).dotenv(env));
        f.repo.write(
                "app/kustomization.yaml",
                "namePrefix: prod-\ncommonLabels:\n  tier: web\nresources:\n- deployment.yaml\n- secret.enc.yaml\n"
                        + "secretGenerator:\n- name: api\n  envs:\n  - app.env\n");
        f.repo.commit("kustomized, with encrypted inputs");
        List<Path> tempBefore = privateDirs();
        AppReconciler app = f.reconciler();

        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        Map<String, Object> secret = f.cluster
                .object(ResourceKey.of("v1", "Secret", PassFixture.NS, "prod-db"))
                .orElseThrow();
        assertThat(Tree.string(secret, "stringData", "password").orElse(null)).isEqualTo(PASSWORD);
        assertThat(Tree.string(secret, "metadata", "labels", "tier").orElse(null))
                .isEqualTo("web");
        Map<String, Object> generated = f.cluster.keys().stream()
                .filter(k -> k.kind().equals("Secret") && k.name().startsWith("prod-api-"))
                .findFirst()
                .flatMap(f.cluster::object)
                .orElseThrow();
        assertThat(new String(
                        Base64.getDecoder()
                                .decode(Tree.string(generated, "data", "API_TOKEN")
                                        .orElse(null)),
                        StandardCharsets.UTF_8))
                .isEqualTo(TOKEN);
        assertThat(filesContaining(tmp, PASSWORD))
                .as("no plaintext under the render or cache directories")
                .isEmpty();
        assertThat(filesContaining(tmp, TOKEN)).isEmpty();
        assertThat(privateDirs()).as("the private directory is removed").isEqualTo(tempBefore);
    }

    private static List<Path> privateDirs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("lockstep-decrypted-"))
                    .sorted()
                    .toList();
        }
    }

    private static List<Path> filesContaining(Path root, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        try {
                            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)
                                    .contains(new String(needle, StandardCharsets.ISO_8859_1));
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .toList();
        }
    }
}
