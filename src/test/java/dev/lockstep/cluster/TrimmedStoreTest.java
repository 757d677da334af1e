package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.plan.DriftDetector;
import dev.lockstep.plan.Expectation;
import dev.lockstep.rollout.DeploymentRollout;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.util.Tree;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TrimmedStoreTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final ResourceKey WEB = ResourceKey.of("apps/v1", "Deployment", "shop", "web");

    private final TrimmedStore configMaps = new TrimmedStore("lockstep", "v1", "ConfigMap", JSON);
    private final TrimmedStore deployments = new TrimmedStore("lockstep", "apps/v1", "Deployment", JSON);

    private static GenericKubernetesResource object(String... managers) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("v1");
        r.setKind("ConfigMap");
        var meta = new ObjectMetaBuilder()
                .withNamespace("shop")
                .withName("cfg")
                .withResourceVersion("41")
                .withAnnotations(new java.util.HashMap<>(Map.of(TrimmedStore.LAST_APPLIED, "{...}", "team", "a")));
        for (String m : managers) {
            meta.addToManagedFields(
                    new ManagedFieldsEntryBuilder().withManager(m).build());
        }
        r.setMetadata(meta.build());
        return r;
    }

    /** A Deployment as the API server sends it: {@code image} and the rollout {@code status} as given. */
    private static GenericKubernetesResource deployment(String resourceVersion, String image, int updated) {
        String json = """
                {"apiVersion": "apps/v1", "kind": "Deployment",
                 "metadata": {"name": "web", "namespace": "shop", "resourceVersion": "%s", "generation": 2,
                   "labels": {"app": "web", "app.kubernetes.io/managed-by": "lockstep"}},
                 "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                   "template": {"metadata": {"labels": {"app": "web"}},
                     "spec": {"containers": [{"name": "web", "image": "%s", "ports": [{"containerPort": 80}]}]}}},
                 "status": {"observedGeneration": 2, "replicas": 2, "updatedReplicas": %d, "readyReplicas": %d,
                   "availableReplicas": %d,
                   "conditions": [{"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]}}
                """.formatted(resourceVersion, image, updated, updated, updated);
        return JSON.unmarshal(json, GenericKubernetesResource.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asSent(GenericKubernetesResource object) {
        return JSON.convertValue(object, Map.class);
    }

    @Test
    void dropsManagedFieldsAndLastAppliedWhenOnlyLockstepAndTheControllerManagerHoldFields() {
        configMaps.put("shop/cfg", object("lockstep", "kube-controller-manager"));

        Map<String, Object> kept = configMaps.read("shop/cfg").orElseThrow();
        assertThat(Tree.map(kept, "metadata")).doesNotContainKey("managedFields");
        assertThat(Tree.map(kept, "metadata", "annotations")).containsOnlyKeys("team");
    }

    @Test
    void keepsEverythingWhenAnotherManagerHoldsFieldsForAdoptionAndDrift() {
        configMaps.put("shop/cfg", object("lockstep", "kubectl-client-side-apply"));

        Map<String, Object> kept = configMaps.read("shop/cfg").orElseThrow();
        assertThat(Tree.maps(kept, "metadata", "managedFields"))
                .extracting(e -> e.get("manager"))
                .containsExactly("lockstep", "kubectl-client-side-apply");
        assertThat(Tree.map(kept, "metadata", "annotations")).containsKey(TrimmedStore.LAST_APPLIED);
    }

    @Test
    void readsBackTheObjectAsTheServerSentItAndItsVersionWithoutUnpacking() {
        GenericKubernetesResource sent = deployment("7", "web:1", 2);
        Map<String, Object> expected = asSent(sent);

        deployments.put("shop/web", sent);

        assertThat(deployments.read("shop/web")).contains(expected);
        assertThat(deployments.resourceVersion("shop/web")).contains("7");
        assertThat(deployments.read("shop/other")).isEmpty();
        assertThat(deployments.resourceVersion("shop/other")).isEmpty();
    }

    /** The informer decides "update or replay" and names the object in its events from the old copy put returns. */
    @Test
    void givesTheInformerTheKeyAndVersionOfTheOldCopyAndForgetsARemovedObject() {
        assertThat(deployments.put("shop/web", deployment("7", "web:1", 2))).isNull();

        GenericKubernetesResource old = deployments.put("shop/web", deployment("9", "web:2", 1));

        assertThat(old.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(old.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(old.getMetadata().getName()).isEqualTo("web");
        assertThat(deployments.getKey(old)).isEqualTo("shop/web");
        assertThat(deployments.get("shop/web").getMetadata().getResourceVersion())
                .isEqualTo("9");
        assertThat(deployments.keySet()).containsExactly("shop/web");
        assertThat(deployments.values()).extracting(deployments::getKey).containsExactly("shop/web");

        assertThat(deployments.remove("shop/web").getMetadata().getResourceVersion())
                .isEqualTo("9");
        assertThat(deployments.read("shop/web")).isEmpty();
        assertThat(deployments.size()).isZero();
    }

    @Test
    void aClusterScopedObjectIsKeyedByItsNameAlone() {
        GenericKubernetesResource ns = JSON.unmarshal(
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\",\"resourceVersion\":\"3\"}}",
                GenericKubernetesResource.class);
        TrimmedStore namespaces = new TrimmedStore("lockstep", "v1", "Namespace", JSON);

        namespaces.put(namespaces.getKey(ns), ns);

        GenericKubernetesResource stub = namespaces.get("shop");
        assertThat(stub.getMetadata().getName()).isEqualTo("shop");
        assertThat(stub.getMetadata().getNamespace()).isNull();
        assertThat(namespaces.read("shop").map(o -> Tree.string(o, "metadata", "resourceVersion")))
                .contains(Optional.of("3"));
    }

    /** What a user sees through the packed cache: the rollout's state, and drift once someone changes the image. */
    @Test
    void theRolloutStateAndDriftReadFromThePackedCacheAreThoseOfTheObjectSent() {
        GenericKubernetesResource applied = deployment("7", "web:1", 2);
        Map<String, Object> body = Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                Map.of("name", "web", "namespace", "shop"),
                "spec",
                Map.of(
                        "template",
                        Map.of("spec", Map.of("containers", List.of(Map.of("name", "web", "image", "web:1"))))));
        Expectation expected = Expectation.of("apps/v1", body, asSent(applied));
        deployments.put("shop/web", applied);
        DriftDetector detector = new DriftDetector(new StoreBacked(deployments));

        assertThat(DeploymentRollout.evaluate(deployments.read("shop/web").orElseThrow()))
                .isEqualTo(DeploymentRollout.evaluate(asSent(deployment("7", "web:1", 2))));
        assertThat(DeploymentRollout.evaluate(deployments.read("shop/web").orElseThrow())
                        .state())
                .isEqualTo(RolloutState.HEALTHY);
        assertThat(detector.detect(Map.of(WEB, expected))).isEmpty();

        deployments.put("shop/web", deployment("8", "web:evil", 1)); // kubectl set image, mid-rollout

        assertThat(detector.detect(Map.of(WEB, expected)))
                .singleElement()
                .satisfies(d -> assertThat(d.field()).isEqualTo("spec.template.spec.containers[0].image"));
        assertThat(DeploymentRollout.evaluate(deployments.read("shop/web").orElseThrow())
                        .state())
                .isNotEqualTo(RolloutState.HEALTHY);
    }

    /** The cache's reads, as {@link LiveCache} makes them, straight from one store. */
    private record StoreBacked(TrimmedStore store) implements LiveObjects {
        @Override
        public Optional<Map<String, Object>> get(String apiVersion, ResourceKey key) {
            return store.read(key.namespace() + "/" + key.name());
        }

        @Override
        public Optional<String> resourceVersion(String apiVersion, ResourceKey key) {
            return store.resourceVersion(key.namespace() + "/" + key.name());
        }

        @Override
        public void watch(String apiVersion, String kind) {}

        @Override
        public void expectVersion(ResourceKey key, String resourceVersion) {}

        @Override
        public boolean isStale(ResourceKey key) {
            return false;
        }

        @Override
        public void onChange(Consumer<ResourceKey> listener) {}
    }
}
