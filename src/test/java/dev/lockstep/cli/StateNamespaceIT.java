package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cluster.StateNamespace;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A missing state namespace on a real API server: created when the daemon may, one line and exit 2 when it may not. */
@RealCluster
class StateNamespaceIT {
    @TempDir
    Path tmp;

    @Test
    void theDaemonCreatesAMissingStateNamespaceWhenItMay(TestCluster cluster) {
        String name = "lockstep-state-" + Long.toHexString(System.nanoTime()).substring(0, 8);
        try {
            assertThat(new StateNamespace(cluster.client(), name).ensure()).isEqualTo(StateNamespace.Outcome.CREATED);
            assertThat(cluster.client().namespaces().withName(name).get()).isNotNull();
            assertThat(new StateNamespace(cluster.client(), name).ensure()).isEqualTo(StateNamespace.Outcome.EXISTS);
        } finally {
            cluster.client().namespaces().withName(name).delete();
        }
    }

    @Test
    void runStopsAtOnceWithOneLineWhenItMayNotCreateIt(TestCluster cluster) throws Exception {
        // a ServiceAccount bound to nothing: Kubernetes RBAC itself refuses it everything
        cluster.client()
                .serviceAccounts()
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("nobody")
                        .endMetadata()
                        .build())
                .create();
        String token = cluster.client()
                .serviceAccounts()
                .withName("nobody")
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
        String admin = Files.readString(cluster.kubeconfig());
        Path kubeconfig =
                Files.writeString(tmp.resolve("nobody.kubeconfig"), admin.replaceAll("token: \\S+", "token: " + token));
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.commit("empty", java.util.Map.of("app/x.yaml", "a: 1\n"));
        String missing =
                "lockstep-missing-" + Long.toHexString(System.nanoTime()).substring(0, 8);
        Path config = Files.writeString(tmp.resolve("lockstep.yaml"), """
                stateNamespace: %s
                cacheDir: %s
                http: {port: 0}
                apps:
                  - name: hello
                    repo: {url: "%s"}
                    path: app
                    namespace: %s
                """.formatted(
                        missing, tmp.resolve("cache"), repo.url(), cluster.namespace()));

        Instant start = Instant.now();
        CliTest.Result run = CliTest.run("run", "--config", config.toString(), "--kubeconfig", kubeconfig.toString());

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(30));
        assertThat(run.code()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err().strip().lines())
                .singleElement()
                .asString()
                .startsWith("lockstep run: cannot use state namespace " + missing + ":")
                .contains("kubectl create namespace " + missing);
        assertThat(cluster.client().namespaces().withName(missing).get()).isNull();
    }
}
