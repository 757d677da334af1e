package dev.lockstep.daemon;

import static dev.lockstep.testing.HelloApp.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.cli.Main;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.model.SecretMask;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Secret first made by hand with client-side {@code kubectl apply} (so its last-applied annotation holds the whole
 * manifest, value included), then taken over by git. Its value must appear in no output along the way: {@code
 * lockstep diff} and {@code validate} before the takeover, the daemon's adoption pass with its logs and Events, then
 * {@code /status}, the page feeds {@code /api/apps} and {@code /api/apps/hello}, {@code /metrics} and {@code lockstep
 * status}. Kept apart from {@link CanaryIT}, which drives the failure paths.
 */
@RealCluster
class SecretCanaryIT {
    private static final String VALUE = "canary-adopted-W8nL";

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String secret(String namespace) {
        return """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db
                  namespace: %s
                data:
                  password: %s
                """.formatted(namespace, base64(VALUE));
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return "exit " + code + "\n" + out + err;
    }

    private String get(Daemon d, String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.httpPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    /** What a person at the keyboard did before Lockstep: client-side apply, which writes the annotation. */
    private void kubectlApply(TestCluster cluster, Path manifest) throws Exception {
        if (onPath("kubectl")) {
            Process p = new ProcessBuilder(
                            "kubectl",
                            "--kubeconfig",
                            cluster.kubeconfig().toString(),
                            "apply",
                            "-f",
                            manifest.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as("kubectl apply: %s", output).isZero();
            return;
        }
        // the same object client-side apply makes: the manifest as JSON in the annotation
        String lastApplied = "{\"apiVersion\":\"v1\",\"data\":{\"password\":\"" + base64(VALUE)
                + "\"},\"kind\":\"Secret\",\"metadata\":{\"annotations\":{},\"name\":\"db\",\"namespace\":\""
                + cluster.namespace() + "\"}}\n";
        cluster.client()
                .secrets()
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("db")
                        .withAnnotations(Map.of(SecretMask.LAST_APPLIED, lastApplied))
                        .endMetadata()
                        .withData(Map.of("password", base64(VALUE)))
                        .build())
                .create();
    }

    private static boolean onPath(String command) {
        return Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(path -> java.util.Arrays.stream(path.split(java.io.File.pathSeparator)))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    @Test
    void aSecretAdoptedFromKubectlApplyLeavesItsValueInNoOutput(TestCluster cluster) throws Exception {
        List<String> outputs = new ArrayList<>();
        Path handMade = Files.writeString(tmp.resolve("db.yaml"), secret(cluster.namespace()));
        kubectlApply(cluster, handMade);
        Secret live = cluster.client().secrets().withName("db").get();
        assertThat(live.getMetadata().getAnnotations())
                .as("client-side apply kept the whole manifest, value included")
                .hasEntrySatisfying(SecretMask.LAST_APPLIED, a -> assertThat(a).contains(base64(VALUE)));

        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/secret.yaml", secret(cluster.namespace()))
                .write("app/settings.yaml", configMap("settings", "v1"));
        repo.commit("git takes the database Secret over");
        Path file = Files.writeString(tmp.resolve("lockstep.yaml"), """
                stateNamespace: %s
                cacheDir: %s
                apps:
                  - name: hello
                    repo: {url: "%s"}
                    path: app
                    namespace: %s
                """.formatted(
                        cluster.namespace(), tmp.resolve("cli-cache"), repo.url(), cluster.namespace()));
        String kube = cluster.kubeconfig().toString();

        try (LogCapture log = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
            String diff = cli("diff", "--config", file.toString(), "--kubeconfig", kube);
            assertThat(diff)
                    .as("the diff shows the annotation go, without its content")
                    .contains("-    kubectl.kubernetes.io/last-applied-configuration: '<hidden, ");
            outputs.add("diff " + diff);
            outputs.add("validate " + cli("validate", repo.dir().resolve("app").toString(), "-n", cluster.namespace()));

            AppSpec app = AppSpecs.of(
                    "hello",
                    new RepoSpec(repo.url(), "main"),
                    "app",
                    cluster.namespace(),
                    Duration.ofHours(1),
                    true,
                    true,
                    Set.of(),
                    Set.of(),
                    0.5,
                    false);
            RecordingListener passes = new RecordingListener();
            LockstepConfig config =
                    new LockstepConfig(List.of(app), tmp.resolve("cache"), cluster.namespace(), 0, Optional.empty(), 4);
            try (Daemon d = new Daemon(
                            config,
                            cluster.client(),
                            Clock.systemUTC(),
                            Optional.empty(),
                            LeaderElection.Timing.standard(),
                            List.of(passes))
                    .start()) {
                passes.awaitPasses(0, 1, Duration.ofSeconds(60), "the adoption pass");
                assertThat(passes.outcomesSince(0)).containsExactly(PassOutcome.APPLIED);
                outputs.add("status " + get(d, "/status"));
                outputs.add("feed " + get(d, "/api/apps"));
                outputs.add("feed " + get(d, "/api/apps/hello"));
                outputs.add("metrics " + get(d, "/metrics"));
            }
            outputs.add("status " + cli("status", "--config", file.toString(), "--kubeconfig", kube));
            outputs.add("diff after " + cli("diff", "--config", file.toString(), "--kubeconfig", kube));

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(
                                    cluster.client().v1().events().list().getItems())
                            .isNotEmpty());
            cluster.client()
                    .v1()
                    .events()
                    .list()
                    .getItems()
                    .forEach(e ->
                            outputs.add("event " + e.getReason() + " " + e.getMessage() + " " + e.getInvolvedObject()));
            outputs.addAll(log.linesWithCauses());
        }

        String everything = String.join("\n", outputs);
        assertThat(cluster.client().secrets().withName("db").get().getData())
                .as("git's value is the live one")
                .containsEntry("password", base64(VALUE));
        for (String form : List.of(VALUE, base64(VALUE))) {
            assertThat(everything).as("outputs must not contain %s", form).doesNotContain(form);
        }
    }
}
