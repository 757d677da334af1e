package dev.lockstep.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives LocalControlPlaneBackend with a stand-in script that records its calls (a real process, no mocks). */
class LocalControlPlaneBackendTest {

    private static final String NAME =
            "lockstep-test-" + ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void startsWithTheRunsNameReadsTheKubeconfigAndStopsOnClose() throws IOException {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\n");
        LocalClusterScript script = script("""
                case "$1" in
                  start) echo "[local-cluster] cluster '$2' ready in 1 s" >&2 ;;
                  kubeconfig) echo "%s" ;;
                esac
                """.formatted(kubeconfig));

        try (LocalControlPlaneBackend backend = LocalControlPlaneBackend.start(script)) {
            assertThat(backend.kubeconfig()).isEqualTo(kubeconfig);
            assertThat(backend.needsSimulatedNode()).isTrue();
        }
        assertThat(calls(script)).containsSubsequence("start " + NAME, "kubeconfig " + NAME, "stop " + NAME);
    }

    @Test
    void aFailingStartReportsTheScriptsOutputAndCleansUp() throws IOException {
        LocalClusterScript script = script("""
                if [ "$1" = start ]; then echo "[local-cluster] ERROR: etcd did not start" >&2; exit 1; fi
                """);

        assertThatThrownBy(() -> LocalControlPlaneBackend.start(script))
                .hasMessageContaining("start " + NAME + " failed (exit 1)")
                .hasMessageContaining("etcd did not start");
        assertThat(calls(script)).containsSubsequence("start " + NAME, "stop " + NAME);
    }

    @Test
    void aHangingScriptIsKilledAtTheTimeout() throws IOException {
        LocalClusterScript script = script("echo started; sleep 30\n");
        LocalClusterScript.Result result = script.run(Duration.ofMillis(500), "start", "x");
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(result.output()).contains("started").contains("timed out");
    }

    private LocalClusterScript script(String body) throws IOException {
        Path script = Files.writeString(
                dir.resolve("local-cluster.sh"),
                "#!/usr/bin/env bash\necho \"$@\" >> \"$LOCKSTEP_CLUSTER_HOME/calls\"\n" + body);
        return new LocalClusterScript(script, dir.resolve("state"));
    }

    private static java.util.List<String> calls(LocalClusterScript script) throws IOException {
        return Files.readAllLines(script.stateRoot().resolve("calls"));
    }
}
