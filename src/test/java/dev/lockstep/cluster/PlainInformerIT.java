package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestCluster;
import dev.lockstep.util.Tree;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * fabric8's informer on the watch client ({@link LiveCache#watchClient}, objects read as plain maps): it lists, adds,
 * updates and deletes as it did on typed objects, each event naming the object and its version, and the store holds
 * what the server has.
 */
@RealCluster
class PlainInformerIT {

    @Test
    void theInformerFiresAddUpdateAndDeleteWithTheKeyAndVersionAndTheStoreHoldsTheServersObject(TestCluster cluster)
            throws Exception {
        String ns = cluster.namespace();
        ConfigMap listed = cluster.client()
                .configMaps()
                .inNamespace(ns)
                .resource(configMap("listed", "before"))
                .create();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (KubernetesClient watches =
                LiveCache.watchClient(cluster.client().getConfiguration()).build()) {
            assertThat(watches.genericKubernetesResources("v1", "ConfigMap")
                            .inNamespace(ns)
                            .list()
                            .getItems())
                    .filteredOn(o -> o.getMetadata().getName().equals("listed"))
                    .singleElement()
                    .isInstanceOfSatisfying(
                            PlainResource.class, o -> assertThat(o.getKind()).isEqualTo("ConfigMap"));

            SharedIndexInformer<GenericKubernetesResource> informer = watches.genericKubernetesResources(
                            "v1", "ConfigMap")
                    .inNamespace(ns)
                    .runnableInformer(0);
            TrimmedStore store = new TrimmedStore("lockstep", "v1", "ConfigMap", watches.getKubernetesSerialization());
            informer.itemStore(store);
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(GenericKubernetesResource obj) {
                    events.add("add " + describe(obj));
                }

                @Override
                public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                    events.add("update " + describe(oldObj) + " -> "
                            + newObj.getMetadata().getResourceVersion());
                }

                @Override
                public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
                    events.add("delete " + describe(obj));
                }
            });
            try {
                informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertThat(next(events)).isEqualTo("add " + ns + "/listed@" + version(listed));
                assertThat(data(store, ns + "/listed")).containsEntry("value", "before");

                ConfigMap created = cluster.client()
                        .configMaps()
                        .inNamespace(ns)
                        .resource(configMap("watched", "one"))
                        .create();
                assertThat(next(events)).isEqualTo("add " + ns + "/watched@" + version(created));
                ConfigMap changed = cluster.client()
                        .configMaps()
                        .inNamespace(ns)
                        .withName("watched")
                        .edit(c -> new ConfigMapBuilder(c)
                                .addToData("value", "two")
                                .build());
                assertThat(next(events))
                        .isEqualTo("update " + ns + "/watched@" + version(created) + " -> " + version(changed));
                assertThat(store.resourceVersion(ns + "/watched")).contains(version(changed));
                Map<String, Object> kept = store.read(ns + "/watched").orElseThrow();
                assertThat(kept).containsEntry("apiVersion", "v1").containsEntry("kind", "ConfigMap");
                assertThat(Tree.string(kept, "metadata", "uid"))
                        .contains(changed.getMetadata().getUid());
                assertThat(data(store, ns + "/watched")).containsEntry("value", "two");

                cluster.client()
                        .configMaps()
                        .inNamespace(ns)
                        .withName("watched")
                        .delete();
                // the delete event names the object at the version of its deletion
                String deleted = next(events);
                assertThat(deleted).startsWith("delete " + ns + "/watched@");
                assertThat(LiveCache.atOrAfter(deleted.substring(deleted.indexOf('@') + 1), version(changed)))
                        .isTrue();
                assertThat(store.read(ns + "/watched")).isEmpty();
                assertThat(informer.lastSyncResourceVersion()).isNotEmpty();
            } finally {
                informer.close();
            }
        }
    }

    private static ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToData("value", value)
                .build();
    }

    private static String version(ConfigMap c) {
        return c.getMetadata().getResourceVersion();
    }

    private static String describe(GenericKubernetesResource o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName() + "@"
                + o.getMetadata().getResourceVersion();
    }

    private static String next(BlockingQueue<String> events) throws InterruptedException {
        String event = events.poll(20, TimeUnit.SECONDS);
        assertThat(event).as("an informer event within 20 s").isNotNull();
        return event;
    }

    private static Map<String, Object> data(TrimmedStore store, String key) {
        return Tree.map(store.read(key).orElseThrow(), "data");
    }
}
