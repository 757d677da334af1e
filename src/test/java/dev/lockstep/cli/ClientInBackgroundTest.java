package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockstep sync} wires its client while it reads the config: the client is built on another thread, an
 * unreadable kubeconfig is reported as before, and a client the command never uses (its config was refused) is closed.
 */
class ClientInBackgroundTest {
    @TempDir
    Path tmp;

    private Path kubeconfig() throws Exception {
        return Files.writeString(tmp.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: c, context: {cluster: c, user: u}}]
                current-context: c
                """);
    }

    @Test
    void theClientIsBuiltBesideTheCaller() throws Exception {
        Path kubeconfig = kubeconfig();
        AtomicReference<String> builtOn = new AtomicReference<>();

        ClientInBackground<KubernetesClient> pending = ClientInBackground.start(() -> {
            builtOn.set(Thread.currentThread().getName());
            return KubeClients.create(kubeconfig);
        });

        try (KubernetesClient client = pending.get()) {
            assertThat(client.getMasterUrl()).hasToString("https://127.0.0.1:1/");
        }
        assertThat(builtOn.get()).isEqualTo("kube-client-wiring");
    }

    @Test
    void anUnreadableKubeconfigIsReportedAsBefore() {
        Path missing = tmp.resolve("no-such-kubeconfig");

        ClientInBackground<KubernetesClient> pending = ClientInBackground.start(() -> KubeClients.create(missing));

        assertThatThrownBy(pending::get)
                .isInstanceOf(IllegalArgumentException.class) // Main's exit code 2, "bad usage or configuration"
                .hasMessageContaining("cannot read kubeconfig " + missing);
    }

    @Test
    void aClientNobodyUsesIsClosed() throws Exception {
        Path kubeconfig = kubeconfig();
        AtomicReference<KubernetesClient> built = new AtomicReference<>();
        ClientInBackground<KubernetesClient> pending = ClientInBackground.start(() -> {
            built.set(KubeClients.create(kubeconfig));
            return built.get();
        });

        pending.abandon();

        assertThat(built.get().getHttpClient().isClosed()).isTrue();
    }

    @Test
    void abandoningAFailedBuildIsQuiet() {
        ClientInBackground<KubernetesClient> pending =
                ClientInBackground.start(() -> KubeClients.create(tmp.resolve("missing")));

        assertThatCode(pending::abandon)
                .as("the command reports its config error, not this one")
                .doesNotThrowAnyException();
    }
}
