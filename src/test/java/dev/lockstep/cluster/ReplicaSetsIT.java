package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.testing.HelloApp;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RequestCounter;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ReplicaSet lister against a real API server. */
@RealCluster
class ReplicaSetsIT {

    private static void create(TestCluster cluster, String manifest) {
        cluster.client()
                .load(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)))
                .inNamespace(cluster.namespace())
                .create();
    }

    private static Map<String, String> app(String name) {
        return Map.of("app", name);
    }

    /**
     * Issue 15: fabric8 writes a list's label selector into the ListOptions it is given. With one ListOptions kept in a
     * field, a later list inherited the selector of the last single-Deployment list and saw only that Deployment's
     * ReplicaSets.
     */
    @Test
    void aListOfSeveralDeploymentsAfterASelectorListStillSeesEachOfThem(TestCluster cluster) {
        String ns = cluster.namespace();
        for (String name : List.of("alpha", "beta", "gamma")) {
            create(cluster, HelloApp.deployment(name, "080196/hello-app:v1", 1));
        }
        ReplicaSets lister = new ReplicaSets(cluster.client());
        Map<String, Map<String, String>> everyOne =
                Map.of("alpha", app("alpha"), "beta", app("beta"), "gamma", app("gamma"));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> lister.byOwner(ns, everyOne).size() == 3);

        List<ReplicaSetInfo> alpha = lister.ownedBy(ns, "alpha", app("alpha"));
        Map<String, List<ReplicaSetInfo>> two = lister.byOwner(ns, Map.of("alpha", app("alpha"), "beta", app("beta")));

        assertThat(alpha).hasSize(1);
        assertThat(two).as("only the Deployments asked for").containsOnlyKeys("alpha", "beta");
        assertThat(two.get("beta"))
                .singleElement()
                .satisfies(rs -> assertThat(rs.revision()).isEqualTo(1));
    }

    /**
     * The ManyAppsBenchmark finding: 100 apps shared a namespace of 10,000 ReplicaSets, and each app whose rollouts
     * ended read all of them in 20 pages. Now one request selects the ended Deployments' ReplicaSets by their labels;
     * the others of the namespace are not sent at all. A Deployment selecting only by matchExpressions still has its
     * ReplicaSets found, from the paged namespace list (one ReplicaSet per page here, to cross pages).
     */
    @Test
    void theReplicaSetsOfSomeDeploymentsComeInOneRequestWithoutTheNamespacesOthers(TestCluster cluster) {
        String ns = cluster.namespace();
        for (String name : List.of("web", "api", "other-1", "other-2", "other-3")) {
            create(cluster, HelloApp.deployment(name, "080196/hello-app:v1", 0));
        }
        create(cluster, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: expressions}
                spec:
                  replicas: 0
                  selector:
                    matchExpressions: [{key: app, operator: In, values: [expressions]}]
                  template:
                    metadata: {labels: {app: expressions}}
                    spec:
                      containers: [{name: hello, image: 080196/hello-app:v1}]
                """);
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        cluster.client().apps().replicaSets().list().getItems().size() == 6);
        RequestCounter requests = new RequestCounter();
        try (KubernetesClient counted = requests.client(cluster.config())) {
            ReplicaSets lister = new ReplicaSets(counted, 1);

            Map<String, List<ReplicaSetInfo>> two = lister.byOwner(ns, Map.of("web", app("web"), "api", app("api")));

            assertThat(two).containsOnlyKeys("web", "api");
            assertThat(requests.all())
                    .singleElement()
                    .extracting(r -> r.replace('+', ' '))
                    .asString()
                    .contains("/replicasets?")
                    .contains("labelSelector=app in (api,web)");

            requests.reset();
            Map<String, List<ReplicaSetInfo>> withExpressions =
                    lister.byOwner(ns, Map.of("web", app("web"), "expressions", Map.of()));

            assertThat(withExpressions).containsOnlyKeys("web", "expressions");
            assertThat(requests.all())
                    .as("one selected list for web, the namespace's 6 ReplicaSets in pages of 1 for the other")
                    .hasSize(1 + 6);
        }
    }
}
