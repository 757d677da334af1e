package dev.lockstep.daemon;

import static dev.lockstep.testing.HelloApp.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.cli.Main;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.config.TrustSpec;
import dev.lockstep.config.VerifyMode;
import dev.lockstep.config.VerifySpec;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.GitHttpServer;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.SshTestKey;
import dev.lockstep.testing.TestCluster;
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
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plants a Secret value and a credential in the repository url, drives every failure path (drift, bad YAML, a dry-run
 * rejection, a verification failure, git refusing the credential, {@code lockstep diff}, a refused and an
 * unauthenticated push), then searches every output for them: the log (with exception messages), Events, {@code
 * /status}, {@code /metrics}, CLI output and the push results.
 */
@RealCluster
class CanaryIT {
    private static final String SECRET = "canary-s3cret-Q7xZ";
    private static final String DRIFTED = "canary-drifted-K4wP";
    private static final String CHANGED = "canary-changed-M2vT";
    private static final String TOKEN = "canary-t0ken-R9yB";

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    /** With {@code data} (not stringData, which the server never returns), so a changed live value is drift. */
    private static String secret(String value) {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: db}
                data: {password: %s}
                """.formatted(base64(value));
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> forms(String value) {
        return List.of(value, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }

    private String get(Daemon d, String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.httpPort() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return "exit " + code + "\n" + out + err;
    }

    @Test
    void noSecretValueOrCredentialReachesAnyOutput(TestCluster cluster) throws Exception {
        List<String> outputs = new ArrayList<>();
        SshTestKey key = SshTestKey.create(tmp, "signer");
        Path signers = Files.writeString(tmp.resolve("allowed_signers"), key.allowedSignersLine("ada@example.com"));
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/secret.yaml", secret(SECRET)).write("app/settings.yaml", configMap("settings", "v1"));
        key.commit(repo, "v1 with the database password");

        try (LogCapture log = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME);
                Repository served = Git.open(repo.dir().toFile()).getRepository();
                GitHttpServer server = GitHttpServer.start(served)) {
            server.setPassword("deploy", TOKEN);
            String url = "http://deploy:" + TOKEN + "@127.0.0.1:" + server.port() + "/remote.git";
            AppSpec app = AppSpecs.withTrust(
                    AppSpecs.of(
                            "hello",
                            new RepoSpec(url, "main"),
                            "app",
                            cluster.namespace(),
                            Duration.ofHours(1),
                            true,
                            true,
                            Set.of(),
                            Set.of(),
                            0.5,
                            false),
                    new TrustSpec(
                            new VerifySpec(VerifyMode.HEAD, Optional.of(signers), Optional.empty(), Optional.empty()),
                            false));
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
                passes.awaitPasses(0, 1, Duration.ofSeconds(60), "the first pass");
                assertThat(passes.outcomesSince(0)).containsExactly(PassOutcome.APPLIED);

                // drift: someone puts another password into the live Secret; self-heal puts git's back
                cluster.client().secrets().withName("db").edit(s -> {
                    s.setData(Map.of(
                            "password", Base64.getEncoder().encodeToString(DRIFTED.getBytes(StandardCharsets.UTF_8))));
                    return s;
                });
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    int mark = passes.passes();
                    d.loop().trigger("hello");
                    passes.awaitPasses(mark, 1, Duration.ofSeconds(30), "a pass after the drift");
                    assertThat(passes.outcomesSince(mark)).contains(PassOutcome.HEALED);
                });

                // bad YAML with the value on the broken line
                repo.write("app/secret.yaml", secret(SECRET) + "  broken: [" + base64(SECRET) + "\n");
                key.commit(repo, "broken yaml");
                assertThat(pass(d, passes)).isEqualTo(PassOutcome.STALLED);

                // a dry-run rejection: the server refuses the Secret (a TLS Secret without its keys)
                repo.write(
                        "app/secret.yaml",
                        secret(SECRET).replace("kind: Secret", "kind: Secret\ntype: kubernetes.io/tls"));
                key.commit(repo, "tls secret without keys");
                assertThat(pass(d, passes)).isEqualTo(PassOutcome.STALLED);

                // a verification failure: an unsigned commit
                repo.commit("unsigned", Map.of("app/secret.yaml", secret(CHANGED)));
                assertThat(pass(d, passes)).isEqualTo(PassOutcome.STALLED);

                // git refuses the credential in the url
                server.setPassword("deploy", "rotated-elsewhere");
                assertThat(pass(d, passes)).isEqualTo(PassOutcome.RETRY);
                server.setPassword("deploy", TOKEN);

                outputs.add("status " + get(d, "/status"));
                outputs.add("metrics " + get(d, "/metrics"));
            }

            // a push the remote refuses, and one with the credential it no longer takes
            try (GitSource source = new GitSource(new RepoSpec(url, "main"), tmp.resolve("push-cache"))) {
                String head = source.fetch().commit();
                String own = new dev.lockstep.git.CommitWriter(
                                source, "Lockstep", "lockstep@example.com", Optional.empty(), Clock.systemUTC())
                        .restore(head, head, "app/settings.yaml", "Lockstep's commit");
                server.preReceive((pack, commands) -> commands.forEach(
                        c -> c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "refused for " + url)));
                outputs.add("push " + source.push(own));
                server.setPassword("deploy", "rotated-again");
                try {
                    outputs.add("push " + source.push(own));
                } catch (GitSourceException e) {
                    outputs.add("push failed " + e.getMessage() + " " + e.getCause());
                }
            }

            // the CLI: diff with a changed password, status and history
            repo.commit("new password", Map.of("app/secret.yaml", secret(CHANGED)));
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
            String diff = cli("diff", "--config", file.toString(), "--kubeconfig", kube);
            assertThat(diff).contains("password: '*** (changed)'");
            outputs.add("diff " + diff);
            outputs.add("status " + cli("status", "--config", file.toString(), "--kubeconfig", kube));
            outputs.add("history " + cli("history", "--config", file.toString(), "--kubeconfig", kube));
            outputs.add("validate " + cli("validate", "--config", file.toString()));

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(
                                    cluster.client().v1().events().list().getItems())
                            .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("CommitNotVerified")));
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
        assertThat(everything)
                .as("the failure paths were driven: each left its trace")
                .contains("failed signature verification: unsigned")
                .contains("invalid YAML")
                .contains("DriftCorrected")
                .contains("Refused[reason=")
                .contains("http://***@127.0.0.1");
        for (String planted : List.of(SECRET, DRIFTED, CHANGED, TOKEN)) {
            for (String form : forms(planted)) {
                assertThat(everything).as("outputs must not contain %s", form).doesNotContain(form);
            }
        }
    }

    private static PassOutcome pass(Daemon d, RecordingListener passes) {
        int mark = passes.passes();
        d.loop().trigger("hello");
        passes.awaitPasses(mark, 1, Duration.ofSeconds(60), "a triggered pass");
        return passes.outcomesSince(mark).get(0);
    }
}
