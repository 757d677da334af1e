package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.manifest.KindScopes;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestCluster;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** A chart's {@code .Capabilities} as the real 1.20 API server's discovery gives them. */
@RealCluster
class ServedApiVersionsIT {

    @Test
    void theListIsTheServersGroupVersionsAndKindsAndNothingItDoesNotServe(TestCluster cluster) {
        DiscoveredKindScopes discovery =
                new DiscoveredKindScopes(cluster.client(), KindScopes.builtIn(), Clock.systemUTC());

        assertThat(discovery.serverVersion()).hasValue("v1.20.2");
        assertThat(discovery.servedApiVersions())
                .contains(
                        "v1",
                        "v1/Pod",
                        "apps/v1",
                        "apps/v1/Deployment",
                        "policy/v1beta1",
                        "policy/v1beta1/PodDisruptionBudget",
                        "apiextensions.k8s.io/v1/CustomResourceDefinition")
                // 1.21 brought policy/v1; Helm's own list names it on every cluster
                .doesNotContain("policy/v1", "policy/v1/PodDisruptionBudget")
                .isSorted()
                .doesNotHaveDuplicates();
    }
}
