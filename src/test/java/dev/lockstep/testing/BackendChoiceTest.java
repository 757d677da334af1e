package dev.lockstep.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class BackendChoiceTest {

    private static final BooleanSupplier DOCKER = () -> true;
    private static final BooleanSupplier NO_DOCKER = () -> false;
    private static final BooleanSupplier MUST_NOT_PROBE = () -> {
        throw new AssertionError("docker probed although the choice was already made");
    };

    @Test
    void anExistingClusterWinsWithoutProbingDocker() {
        BackendChoice choice = BackendChoice.choose(Map.of("LOCKSTEP_TEST_KUBECONFIG", "/k"), MUST_NOT_PROBE);
        assertThat(choice.kind()).isEqualTo(BackendChoice.Kind.EXISTING);
    }

    @Test
    void dockerMeansK3sAndNoDockerMeansTheLocalControlPlane() {
        assertThat(BackendChoice.choose(Map.of(), DOCKER).kind()).isEqualTo(BackendChoice.Kind.K3S);
        assertThat(BackendChoice.choose(Map.of(), NO_DOCKER).kind()).isEqualTo(BackendChoice.Kind.LOCAL);
        assertThat(BackendChoice.choose(Map.of("LOCKSTEP_TEST_KUBECONFIG", " "), NO_DOCKER)
                        .kind())
                .isEqualTo(BackendChoice.Kind.LOCAL);
    }

    @Test
    void theBackendCanBeForced() {
        assertThat(BackendChoice.choose(Map.of("LOCKSTEP_TEST_BACKEND", "local"), MUST_NOT_PROBE)
                        .kind())
                .isEqualTo(BackendChoice.Kind.LOCAL);
        assertThat(BackendChoice.choose(
                                Map.of("LOCKSTEP_TEST_BACKEND", "K3S", "LOCKSTEP_TEST_KUBECONFIG", "/k"),
                                MUST_NOT_PROBE)
                        .kind())
                .isEqualTo(BackendChoice.Kind.K3S);
        assertThatThrownBy(() -> BackendChoice.choose(Map.of("LOCKSTEP_TEST_BACKEND", "existing"), NO_DOCKER))
                .hasMessageContaining("LOCKSTEP_TEST_KUBECONFIG");
        assertThatThrownBy(() -> BackendChoice.choose(Map.of("LOCKSTEP_TEST_BACKEND", "kind"), NO_DOCKER))
                .hasMessageContaining("existing, k3s or local");
    }

    @Test
    void theSimulatedNodeIsOnUnlessSwitchedOff() {
        assertThat(BackendChoice.simNodeWanted(Map.of())).isTrue();
        assertThat(BackendChoice.simNodeWanted(Map.of("LOCKSTEP_TEST_SIM_NODE", "FALSE")))
                .isFalse();
    }
}
