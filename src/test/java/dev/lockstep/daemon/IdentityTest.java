package dev.lockstep.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdentityTest {
    @Test
    void anExplicitIdentityWinsThenThePodName() {
        assertThat(Identity.of(Optional.of("replica-a"), Map.of("POD_NAME", "pod-1"), new Random(1)))
                .isEqualTo("replica-a");
        assertThat(Identity.of(Optional.empty(), Map.of("POD_NAME", "pod-1", "HOSTNAME", "h"), new Random(1)))
                .isEqualTo("pod-1");
    }

    @Test
    void withoutEitherTwoProcessesOnOneHostGetDifferentIdentitiesNeverLockstep() {
        Map<String, String> env = Map.of("HOSTNAME", "laptop");
        String first = Identity.of(Optional.empty(), env, new Random(1));
        String second = Identity.of(Optional.empty(), env, new Random(2));

        assertThat(first).matches("laptop-[0-9a-f]{8}").isNotEqualTo(second).isNotEqualTo("lockstep");
        assertThat(second).startsWith("laptop-");
        assertThat(Identity.of(Optional.empty(), Map.of(), new Random(3)))
                .as("no HOSTNAME: the machine's host name")
                .matches(".+-[0-9a-f]{8}");
    }
}
