package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.secrets.SopsTestEncryptor;
import dev.lockstep.testing.GitRepoFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockstep render} of an app with a SOPS-encrypted ConfigMap: the decrypted value is masked, even outside a
 * Secret, unless {@code --show-secrets}; an app without {@code decrypt.sops} is refused naming the file and setting.
 */
class RenderSecretsTest {
    private static final String VALUE = "feature-flag-token-31337";

    @TempDir
    Path tmp;

    private GitRepoFixture repo;
    private Path keyFile;

    @BeforeEach
    void repo() throws Exception {
        repo = GitRepoFixture.create(tmp.resolve("repo"));
        SopsTestEncryptor.AgeKeyPair pair = SopsTestEncryptor.newAgeKeyPair();
        keyFile = tmp.resolve("keys.agekey");
        Files.writeString(keyFile, pair.identity() + "\n");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "v1");
        doc.put("kind", "ConfigMap");
        doc.put("metadata", new LinkedHashMap<>(Map.of("name", "flags")));
        doc.put("data", new LinkedHashMap<>(Map.of("token", VALUE)));
        repo.write(
                "app/flags.yaml",
                SopsTestEncryptor.forAge(pair.recipient())
                        .withEncryptedRegex("^data$", false)
                        .yaml(doc));
        repo.commit("flags, encrypted");
    }

    private Path config(boolean withKey) throws Exception {
        Path file = tmp.resolve("lockstep.yaml");
        Files.writeString(file, """
                cacheDir: %s
                apps:
                  - name: shop
                    repo: {url: "%s"}
                    path: app
                    namespace: shop
                %s""".formatted(
                        tmp.resolve("cache"),
                        repo.url(),
                        withKey ? "    decrypt:\n      sops:\n        ageKeyFile: " + keyFile + "\n" : ""));
        return file;
    }

    @Test
    void aDecryptedValueIsMaskedUnlessShowSecrets() throws Exception {
        CliTest.Result masked = CliTest.run("render", "--config", config(true).toString());

        assertThat(masked.code()).as(masked.err()).isZero();
        assertThat(masked.out()).contains("kind: ConfigMap", "token: '***'").doesNotContain(VALUE, "ENC[");

        CliTest.Result shown = CliTest.run("render", "--config", config(true).toString(), "--show-secrets");
        assertThat(shown.code()).isZero();
        assertThat(shown.out()).contains("token: " + VALUE);
    }

    @Test
    void withoutDecryptSopsTheRenderIsRefusedNamingTheFileAndTheSetting() throws Exception {
        CliTest.Result r = CliTest.run("render", "--config", config(false).toString());

        assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .contains("app/flags.yaml: is SOPS-encrypted, but the app sets no decrypt.sops (ageKeyFile or"
                        + " openpgpKeyFile)");
    }

    @Test
    void chartValuesFromASopsEncryptedValuesFileAreMaskedWhereverTheChartPutsThem() throws Exception {
        // a values file encrypted with SOPS is how a value is marked secret: Helm gets it decrypted, every output masks
        // it, whether the chart puts it in a Secret, a ConfigMap or a container's env
        String password = "db-password-from-sops-4711";
        repo.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.2.3\n");
        repo.write("charts/web/values.yaml", "db:\n  user: web\n  password: \"\"\n");
        repo.write("charts/web/templates/config.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: web-config
                data:
                  user: {{ .Values.db.user | quote }}
                  dsn: {{ printf "postgres://%s:%s@db" .Values.db.user .Values.db.password | quote }}
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: web-db
                stringData:
                  password: {{ .Values.db.password | quote }}
                """);
        SopsTestEncryptor.AgeKeyPair pair = SopsTestEncryptor.newAgeKeyPair();
        Files.writeString(keyFile, pair.identity() + "\n");
        repo.write(
                "env/prod/web-secrets.yaml",
                SopsTestEncryptor.forAge(pair.recipient())
                        .yaml(new LinkedHashMap<>(Map.of("db", new LinkedHashMap<>(Map.of("password", password))))));
        repo.commit("web chart with its password in a SOPS values file");
        Path config = tmp.resolve("chart.yaml");
        Files.writeString(config, """
                cacheDir: %s
                apps:
                  - name: web
                    repo: {url: "%s"}
                    path: charts/web
                    namespace: shop
                    render:
                      helm:
                        valuesFiles: [../../env/prod/web-secrets.yaml]
                    decrypt:
                      sops:
                        ageKeyFile: %s
                """.formatted(tmp.resolve("cache"), repo.url(), keyFile));

        CliTest.Result masked = CliTest.run("render", "--config", config.toString());

        assertThat(masked.code()).as(masked.err()).isZero();
        assertThat(masked.out())
                .contains("kind: ConfigMap", "user: web", "kind: Secret", "password: '***'")
                .doesNotContain(password, "ENC[");
        assertThat(masked.err()).doesNotContain(password);

        CliTest.Result shown = CliTest.run("render", "--config", config.toString(), "--show-secrets");
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("postgres://web:" + password + "@db");
    }
}
