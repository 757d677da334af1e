package dev.lockstep.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.secrets.SopsTestEncryptor;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22 for the HTTP server: {@code SopsStoryIT} searches the listener events, status, Events, log and CLI for
 * SOPS plaintext but runs no HTTP server. Here a real daemon with its server applies an age-encrypted Secret and a
 * Deployment whose env value is itself an encrypted field (so the plaintext really sits in the pod template, and in
 * each ReplicaSet), then a commit rotates both values so a revision diff exists. {@code /status}, {@code /api/apps},
 * the Deployment's history feed, revision 1's pod-template diff, {@code /metrics} and the daemon log must hold none of
 * the four plaintexts nor their base64.
 */
@RealCluster
class SopsCanaryIT {
    private static final String PASSWORD_V1 = "sops-canary-pw1-Hq7dX";
    private static final String PASSWORD_V2 = "sops-canary-pw2-Zr3kX";
    private static final String TOKEN_V1 = "sops-canary-tok1-Vb8m";
    private static final String TOKEN_V2 = "sops-canary-tok2-Jx5n";
    // each 21 characters: their base64 has no padding to be escaped in JSON, so a literal search finds it

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void encryptedValuesAndTheirRotationReachNoHttpOutputNorTheLog(TestCluster cluster) throws Exception {
        SopsTestEncryptor.AgeKeyPair pair = SopsTestEncryptor.newAgeKeyPair();
        String ns = cluster.namespace();
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        write(repo, pair, PASSWORD_V1, TOKEN_V1);
        repo.commit("web with encrypted secrets");
        AppSpec app =
                new ConfigLoader().load(config(cluster, repo, pair)).apps().get(0);
        // httpPort 0: the daemon's real HTTP server on a free port
        LockstepConfig config = new LockstepConfig(List.of(app), tmp.resolve("cache"), ns, 0, Optional.empty(), 4);
        RecordingListener passes = new RecordingListener();
        List<String> outputs = new ArrayList<>();
        String diff;

        try (LogCapture log = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME);
                Daemon d = new Daemon(
                                config,
                                cluster.client(),
                                Clock.systemUTC(),
                                Optional.empty(),
                                LeaderElection.Timing.standard(),
                                List.of(passes))
                        .start()) {
            passes.awaitPasses(0, 1, Duration.ofSeconds(60), "the first pass");
            // the Secret went in decrypted: otherwise finding no plaintext anywhere would prove nothing
            assertThat(decoded(cluster.client().secrets().withName("db").get(), "password"))
                    .isEqualTo(PASSWORD_V1);

            // rotate both values: the env value changes the pod template, so a second ReplicaSet and a diff exist
            write(repo, pair, PASSWORD_V2, TOKEN_V2);
            repo.commit("rotate the password and the token");
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                int mark = passes.passes();
                d.loop().trigger("web");
                passes.awaitPasses(mark, 1, Duration.ofSeconds(30), "a pass after the rotation");
                assertThat(decoded(cluster.client().secrets().withName("db").get(), "password"))
                        .isEqualTo(PASSWORD_V2);
            });
            String history = "/api/apps/web/history/" + ns + "/web";
            String revisionDiff = "/api/apps/web/diff/" + ns + "/web/1";
            // the feed is built from the watch cache: wait until it knows revision 2 and the diff has content
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        HttpResponse<String> r = fetch(d, revisionDiff);
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        assertThat(r.body()).contains("API_TOKEN");
                    });
            diff = get(d, revisionDiff);
            outputs.add("diff " + diff);
            outputs.add("history " + get(d, history));
            outputs.add("status " + get(d, "/status"));
            outputs.add("apps " + get(d, "/api/apps"));
            outputs.add("app " + get(d, "/api/apps/web"));
            outputs.add("metrics " + get(d, "/metrics"));
            outputs.addAll(log.linesWithCauses());
        }

        assertThat(diff)
                .as("the diff shows the env value changed, hidden: the search below is over a real diff")
                .contains("***");
        String everything = String.join("\n", outputs);
        for (String value : List.of(PASSWORD_V1, PASSWORD_V2, TOKEN_V1, TOKEN_V2)) {
            assertThat(everything).as("outputs must not contain %s", value).doesNotContain(value);
            assertThat(everything)
                    .as("outputs must not contain base64 of %s", value)
                    .doesNotContain(base64(value));
        }
    }

    /** The Secret encrypts its data; the Deployment only its env values (sops' encrypted_regex), like a real repo. */
    private static void write(GitRepoFixture repo, SopsTestEncryptor.AgeKeyPair pair, String password, String token)
            throws Exception {
        SopsTestEncryptor encryptor = SopsTestEncryptor.forAge(pair.recipient());
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        secret.put("metadata", new LinkedHashMap<>(Map.of("name", "db")));
        secret.put("stringData", new LinkedHashMap<>(Map.of("password", password)));
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", "web");
        container.put("image", "registry.example.com/web:v1");
        container.put(
                "env",
                List.of(
                        new LinkedHashMap<>(Map.of("name", "API_TOKEN", "value", token)),
                        new LinkedHashMap<>(Map.of(
                                "name",
                                "DB_PASSWORD",
                                "valueFrom",
                                Map.of("secretKeyRef", Map.of("name", "db", "key", "password"))))));
        Map<String, Object> deployment = new LinkedHashMap<>();
        deployment.put("apiVersion", "apps/v1");
        deployment.put("kind", "Deployment");
        deployment.put("metadata", new LinkedHashMap<>(Map.of("name", "web")));
        deployment.put(
                "spec",
                Map.of(
                        "replicas",
                        1,
                        "selector",
                        Map.of("matchLabels", Map.of("app", "web")),
                        "template",
                        Map.of(
                                "metadata",
                                Map.of("labels", Map.of("app", "web")),
                                "spec",
                                Map.of("containers", List.of(container)))));
        repo.write(
                        "app/secret.enc.yaml",
                        encryptor.withEncryptedRegex("^stringData$", false).yaml(secret))
                .write(
                        "app/deployment.enc.yaml",
                        encryptor.withEncryptedRegex("^value$", false).yaml(deployment));
    }

    private Path config(TestCluster cluster, GitRepoFixture repo, SopsTestEncryptor.AgeKeyPair pair) throws Exception {
        Path keyFile = Files.writeString(tmp.resolve("keys.agekey"), "# test identity\n" + pair.identity() + "\n");
        return Files.writeString(tmp.resolve("lockstep.yaml"), """
                stateNamespace: %s
                cacheDir: %s
                apps:
                  - name: web
                    repo: {url: "%s"}
                    path: app
                    namespace: %s
                    decrypt:
                      sops:
                        ageKeyFile: %s
                """.formatted(
                        cluster.namespace(), tmp.resolve("cache"), repo.url(), cluster.namespace(), keyFile));
    }

    private HttpResponse<String> fetch(Daemon d, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.httpPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String get(Daemon d, String path) throws Exception {
        HttpResponse<String> response = fetch(d, path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
