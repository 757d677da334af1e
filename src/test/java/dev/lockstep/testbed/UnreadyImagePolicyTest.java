package dev.lockstep.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class UnreadyImagePolicyTest {

    @Test
    void theNodePatternAppliesWhenTheNamespaceSaysNothing() {
        UnreadyImagePolicy policy = new UnreadyImagePolicy(Pattern.compile(".*:v3"));
        assertThat(policy.keepsUnready(pod("080196/hello-app:v3"), null)).isTrue();
        assertThat(policy.keepsUnready(pod("080196/hello-app:v2"), null)).isFalse();
        assertThat(policy.keepsUnready(pod("080196/hello-app:v33"), null))
                .as("whole-string match")
                .isFalse();
    }

    @Test
    void theNamespaceAnnotationReplacesTheNodePattern() {
        UnreadyImagePolicy policy = new UnreadyImagePolicy(SimulatedNodeConfig.NO_IMAGES);
        assertThat(policy.keepsUnready(pod("080196/hello-app:v3"), null)).isFalse();
        assertThat(policy.keepsUnready(pod("080196/hello-app:v3"), ".*:v3")).isTrue();
        assertThat(policy.keepsUnready(pod("example/app:1-unready"), ".*:v3")).isFalse();
    }

    @Test
    void anInvalidAnnotationFallsBackToTheNodePattern() {
        UnreadyImagePolicy policy = new UnreadyImagePolicy(Pattern.compile(".*:bad"));
        assertThat(policy.keepsUnready(pod("x:bad"), "([")).isTrue();
        assertThat(policy.keepsUnready(pod("x:good"), "([")).isFalse();
    }

    private static Pod pod(String image) {
        return new PodBuilder()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage(image)
                .endContainer()
                .endSpec()
                .build();
    }
}
