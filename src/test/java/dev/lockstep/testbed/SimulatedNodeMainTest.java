package dev.lockstep.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedNodeMainTest {

    @Test
    void parsesEveryOption(@TempDir Path dir) throws IOException {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\n");
        SimulatedNodeMain.Options options = SimulatedNodeMain.parse(new String[] {
            "--kubeconfig", kubeconfig.toString(), "--unready-images", ".*:v3$", "--ready-delay-ms", "250",
            "--node-name", "demo-node"});

        assertThat(options.kubeconfig()).contains(kubeconfig.toFile());
        assertThat(options.node().nodeName()).isEqualTo("demo-node");
        assertThat(options.node().readyDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(options.node().unreadyImages().matcher("080196/hello-app:v3").matches()).isTrue();
    }

    @Test
    void defaultsNeedNoArguments() {
        SimulatedNodeMain.Options options = SimulatedNodeMain.parse(new String[0]);
        assertThat(options.kubeconfig()).isEmpty();
        assertThat(options.node()).isEqualTo(SimulatedNodeConfig.defaults());
    }

    @Test
    void rejectsBadInputWithAMessageNamingTheOption() {
        assertThatThrownBy(() -> SimulatedNodeMain.parse(new String[] {"--ready-delay-ms", "-1"}))
                .hasMessageContaining("--ready-delay-ms");
        assertThatThrownBy(() -> SimulatedNodeMain.parse(new String[] {"--unready-images", "(["}))
                .hasMessageContaining("--unready-images");
        assertThatThrownBy(() -> SimulatedNodeMain.parse(new String[] {"--kubeconfig", "/no/such/file"}))
                .hasMessageContaining("/no/such/file");
        assertThatThrownBy(() -> SimulatedNodeMain.parse(new String[] {"--frobnicate", "1"}))
                .hasMessageContaining("--frobnicate");
        assertThatThrownBy(() -> SimulatedNodeMain.parse(new String[] {"--node-name"}))
                .hasMessageContaining("missing value");
    }
}
