package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.testing.HelloApp;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestCluster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ReplicaSet lister against a real API server. */
@RealCluster
class ReplicaSetsIT {

    /**
     * Issue 15: fabric8 writes a list's label selector into the ListOptions it is given. With one ListOptions kept in a
     * field, the namespace-wide list (taken when several rollouts end at once) inherited the selector of the last
     * single-Deployment list and saw only that Deployment's ReplicaSets.
     */
    @Test
    void aNamespaceListAfterASelectorListStillSeesEveryDeployment(TestCluster cluster) {
        String ns = cluster.namespace();
        for (String name : List.of("alpha", "beta", "gamma")) {
            cluster.client()
                    .load(new ByteArrayInputStream(
                            HelloApp.deployment(name, "080196/hello-app:v1", 1).getBytes(StandardCharsets.UTF_8)))
                    .inNamespace(ns)
                    .create();
        }
        // one ReplicaSet per page: the namespace list crosses pages (continue tokens) as it does at 500 per page
        ReplicaSets lister = new ReplicaSets(cluster.client(), 1);
        Set<String> everyOne = Set.of("alpha", "beta", "gamma");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> lister.byOwner(ns, everyOne).size() == 3);

        List<ReplicaSetInfo> alpha = lister.ownedBy(ns, "alpha", Map.of("app", "alpha"));
        Map<String, List<ReplicaSetInfo>> two = lister.byOwner(ns, Set.of("alpha", "beta"));

        assertThat(alpha).hasSize(1);
        assertThat(two).as("only the Deployments asked for").containsOnlyKeys("alpha", "beta");
        assertThat(two.get("beta"))
                .singleElement()
                .satisfies(rs -> assertThat(rs.revision()).isEqualTo(1));
    }
}
