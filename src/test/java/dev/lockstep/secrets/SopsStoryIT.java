package dev.lockstep.secrets;

import static dev.lockstep.testing.AppWaits.awaitHealthyAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cli.Main;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.ConfigLoader;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.InProcessDaemon;
import dev.lockstep.testing.KustomizeAvailable;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SOPS on a real API server and Deployment controller: a kustomize overlay ({@code namePrefix}, {@code commonLabels})
 * over an age-encrypted Secret, and a {@code secretGenerator} reading an encrypted dotenv file; a Deployment uses
 * both. A commit that changes only the encrypted dotenv value rolls the Deployment out (the generated name changes);
 * its {@code git revert} reuses the old ReplicaSet. Nothing Lockstep emitted holds a plaintext value: listener
 * events, the status, Kubernetes Events, the log, and the {@code diff}, {@code render}, {@code status} and
 * {@code history} commands. (The HTTP feeds and {@code /metrics} are not started by this in-process daemon; the feeds
 * are built from the same status and masked by {@code Responses}, and metrics carry no values.)
 */
@RealCluster
class SopsStoryIT {
    private static final Duration ROLLOUT = Duration.ofSeconds(120);
    private static final String OVERLAY = "deploy/overlays/production";
    private static final String PASSWORD = "db-passw0rd-5f3a9c";
    private static final String TOKEN_V1 = "api-token-v1-8b2e7d";
    private static final String TOKEN_V2 = "api-token-v2-41c9aa";

    @TempDir
    Path tmp;

    private KubernetesClient client;
    private InProcessDaemon daemon;
    private final RecordingListener events = new RecordingListener();
    private SopsTestEncryptor.AgeKeyPair pair;

    @BeforeEach
    void kustomize() throws Exception {
        KustomizeAvailable.assume();
        pair = SopsTestEncryptor.newAgeKeyPair();
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void anEncryptedValueChangeRollsOutItsRevertReusesTheReplicaSetAndNoOutputHoldsAValue(TestCluster cluster)
            throws Exception {
        LogCapture logs = new LogCapture("dev.lockstep");
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        write(repo, TOKEN_V1);
        String v1 = repo.commit("web with encrypted secrets");
        Path config = config(cluster, repo);
        AppSpec spec = new ConfigLoader().load(config).apps().get(0);
        client = new KubernetesClientBuilder().withConfig(cluster.config()).build();
        daemon = new InProcessDaemon(client, tmp.resolve("cache"), events);
        AppReconciler app = daemon.restart(spec);
        awaitHealthyAt(app, v1, cluster, ROLLOUT);

        Secret db = cluster.client().secrets().withName("prod-db").get();
        assertThat(decoded(db, "password")).isEqualTo(PASSWORD);
        assertThat(db.getMetadata().getLabels()).containsEntry("tier", "web");
        String api1 = generatedName(deployment(cluster));
        assertThat(api1).matches("prod-api-[a-z0-9]{10}");
        assertThat(decoded(cluster.client().secrets().withName(api1).get(), "API_TOKEN"))
                .isEqualTo(TOKEN_V1);
        String rs1 = replicaSets(cluster).get(1L).getMetadata().getName();

        // v2 changes only the encrypted dotenv value: a new generated name, a new revision
        write(repo, TOKEN_V2);
        String v2 = repo.commit("rotate the API token");
        awaitHealthyAt(app, v2, cluster, ROLLOUT);
        String api2 = generatedName(deployment(cluster));
        assertThat(api2).isNotEqualTo(api1);
        assertThat(replicaSets(cluster)).containsKey(2L);

        // git revert v2: revision 1's ReplicaSet is reused
        String revert = repo.revert(v2);
        awaitHealthyAt(app, revert, cluster, ROLLOUT);
        assertThat(generatedName(deployment(cluster))).isEqualTo(api1);
        assertThat(replicaSets(cluster).get(3L).getMetadata().getName()).isEqualTo(rs1);

        // nothing Lockstep emitted holds a value: listener events, status, Events, diff, render
        StringBuilder emitted = new StringBuilder();
        emitted.append(events.events()).append('\n').append(app.status()).append('\n');
        cluster.client()
                .v1()
                .events()
                .list()
                .getItems()
                .forEach(e -> emitted.append(e.getMessage()).append('\n'));
        emitted.append(cli(cluster, config, "diff")).append('\n');
        emitted.append(cli(cluster, config, "render")).append('\n');
        emitted.append(cli(cluster, config, "status")).append('\n');
        emitted.append(cli(cluster, config, "history", "prod-web")).append('\n');
        logs.close();
        assertThat(logs.lines()).as("the log was captured").isNotEmpty();
        emitted.append(logs.linesWithCauses()).append('\n');
        for (String value : List.of(PASSWORD, TOKEN_V1, TOKEN_V2)) {
            assertThat(emitted.toString()).doesNotContain(value).doesNotContain(base64(value));
        }
        assertThat(cli(cluster, config, "render", "--show-secrets")).contains(base64(TOKEN_V1));
    }

    private void write(GitRepoFixture repo, String token) throws Exception {
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        secret.put("metadata", new LinkedHashMap<>(Map.of("name", "db")));
        secret.put("stringData", new LinkedHashMap<>(Map.of("password", PASSWORD)));
        SopsTestEncryptor encryptor = SopsTestEncryptor.forAge(pair.recipient());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("API_TOKEN", token);
        repo.write("deploy/base/kustomization.yaml", "resources:\n  - deployment.yaml\n")
                .write("deploy/base/deployment.yaml", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata:
                          name: web
                        spec:
                          replicas: 1
                          selector:
                            matchLabels: {app: web}
                          template:
                            metadata:
                              labels: {app: web}
                            spec:
                              containers:
                                - name: web
                                  image: registry.example.com/web:v1
                                  envFrom:
                                    - secretRef: {name: db}
                                    - secretRef: {name: api}
                        """)
                .write(
                        OVERLAY + "/secret.enc.yaml",
                        encryptor
                                .withEncryptedRegex("^(data|stringData)$", false)
                                .yaml(secret))
                .write(OVERLAY + "/api.env", encryptor.dotenv(env))
                .write(OVERLAY + "/kustomization.yaml", """
                        namePrefix: prod-
                        commonLabels:
                          tier: web
                        resources:
                          - ../../base
                          - secret.enc.yaml
                        secretGenerator:
                          - name: api
                            envs:
                              - api.env
                        """);
    }

    private Path config(TestCluster cluster, GitRepoFixture repo) throws Exception {
        Path keyFile = tmp.resolve("keys.agekey");
        Files.writeString(keyFile, "# test identity\n" + pair.identity() + "\n");
        Path file = tmp.resolve("lockstep.yaml");
        Files.writeString(file, """
                stateNamespace: %s
                cacheDir: %s
                apps:
                  - name: shop
                    repo: {url: "%s"}
                    path: %s
                    namespace: %s
                    decrypt:
                      sops:
                        ageKeyFile: %s
                """.formatted(
                cluster.namespace(), tmp.resolve("cli-cache"), repo.url(), OVERLAY, cluster.namespace(), keyFile));
        return file;
    }

    private String cli(TestCluster cluster, Path config, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> full = new java.util.ArrayList<>(List.of(args[0], "--config", config.toString()));
        if (!args[0].equals("render")) {
            full.addAll(List.of("--kubeconfig", cluster.kubeconfig().toString()));
        }
        full.addAll(List.of(args).subList(1, args.length));
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), full.toArray(String[]::new));
        assertThat(code).as(args[0] + ": " + err).isZero();
        return out + "\n" + err;
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static Deployment deployment(TestCluster cluster) {
        return cluster.client().apps().deployments().withName("prod-web").get();
    }

    private static String generatedName(Deployment d) {
        return d.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnvFrom()
                .get(1)
                .getSecretRef()
                .getName();
    }

    private static Map<Long, ReplicaSet> replicaSets(TestCluster cluster) {
        Map<Long, ReplicaSet> out = new TreeMap<>();
        for (ReplicaSet rs : cluster.client().apps().replicaSets().list().getItems()) {
            out.put(Long.parseLong(rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")), rs);
        }
        return out;
    }
}
