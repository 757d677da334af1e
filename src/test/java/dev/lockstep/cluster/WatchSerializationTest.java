package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.util.Tree;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The watch client's objects (lists and watch events read as plain maps, {@link WatchSerialization}) are stored as the
 * typed model's were: the same trees, read back from the store. Fixtures: API server 1.20 list and object JSON.
 */
class WatchSerializationTest {
    private static final KubernetesSerialization TYPED = new KubernetesSerialization();
    private final WatchSerialization plain = WatchSerialization.create();

    private static String fixture(String name) {
        try (InputStream in = WatchSerializationTest.class.getResourceAsStream("/watch-cache/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A list's items as fabric8's list call hands them to the informer: apiVersion and kind set on each item. */
    private static List<GenericKubernetesResource> listed(
            KubernetesSerialization serialization, String json, String apiVersion, String kind) {
        GenericKubernetesResourceList list = serialization.unmarshal(
                new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                GenericKubernetesResourceList.class);
        for (GenericKubernetesResource item : list.getItems()) {
            if (item.getApiVersion() == null) {
                item.setApiVersion(apiVersion);
            }
            if (item.getKind() == null) {
                item.setKind(kind);
            }
        }
        return list.getItems();
    }

    /** Both paths' stores after the same list, item by item: what the cache reads back, and the version. */
    private void assertStoredAlike(String file, String apiVersion, String kind) {
        TrimmedStore before = new TrimmedStore("lockstep", apiVersion, kind, TYPED);
        TrimmedStore after = new TrimmedStore("lockstep", apiVersion, kind, plain);
        List<GenericKubernetesResource> typed = listed(TYPED, fixture(file), apiVersion, kind);
        List<GenericKubernetesResource> read = listed(plain, fixture(file), apiVersion, kind);
        assertThat(read).allSatisfy(o -> assertThat(o).isInstanceOf(PlainResource.class));
        typed.forEach(o -> before.put(before.getKey(o), o));
        read.forEach(o -> after.put(after.getKey(o), o));

        assertThat(after.keySet())
                .containsExactlyInAnyOrderElementsOf(before.keySet().toList());
        before.keySet().forEach(key -> {
            assertThat(sameNumbers(after.read(key).orElseThrow()))
                    .as(key)
                    .isEqualTo(sameNumbers(before.read(key).orElseThrow()));
            assertThat(after.resourceVersion(key)).isEqualTo(before.resourceVersion(key));
            assertThat(after.get(key)).isEqualTo(before.get(key));
        });
    }

    /**
     * The typed model held metadata's numbers (generation) as Long where JSON gives an Integer; every reader takes a
     * Number ({@link Tree#number}), so the trees are compared with integers as longs.
     */
    private static Object sameNumbers(Object tree) {
        if (tree instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, sameNumbers(v)));
            return out;
        }
        if (tree instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(sameNumbers(v)));
            return out;
        }
        return tree instanceof Integer i ? Long.valueOf(i) : tree;
    }

    @Test
    void listedDeploymentsAreStoredAsTheTypedModelStoredThem() {
        assertStoredAlike("deployments.json", "apps/v1", "Deployment");
    }

    @Test
    void aListedConfigMapAndAClusterScopedObjectAreStoredAsTheTypedModelStoredThem() {
        assertStoredAlike("configmap-and-namespace.json", "v1", "ConfigMap");
    }

    @Test
    void managedFieldsAndLastAppliedGoOnlyWhenEveryManagerIsRoutineAndStatusStays() {
        TrimmedStore store = new TrimmedStore("lockstep", "apps/v1", "Deployment", plain);
        listed(plain, fixture("deployments.json"), "apps/v1", "Deployment").forEach(o -> store.put(store.getKey(o), o));

        Map<String, Object> web = store.read("shop/web").orElseThrow();
        assertThat(Tree.map(web, "metadata")).doesNotContainKey("managedFields");
        assertThat(Tree.map(web, "metadata", "annotations"))
                .containsOnlyKeys("deployment.kubernetes.io/revision", "team");
        assertThat(web).containsEntry("apiVersion", "apps/v1").containsEntry("kind", "Deployment");
        assertThat(Tree.number(web, "status", "availableReplicas")).contains(2L);

        Map<String, Object> api = store.read("shop/api").orElseThrow();
        assertThat(Tree.maps(api, "metadata", "managedFields"))
                .extracting(e -> e.get("manager"))
                .containsExactly("kubectl-client-side-apply", "lockstep");
        assertThat(Tree.map(api, "metadata", "annotations")).containsKey(TrimmedStore.LAST_APPLIED);
        assertThat(store.resourceVersion("shop/api")).contains("90144");
    }

    /**
     * A watch event's object is stored as the same object listed was (before and after): fabric8's typed reading of
     * events dropped what the server sent as null in typed parts ({@code template.metadata.creationTimestamp}), which
     * every reader (drift, fingerprints) takes as absent anyway; now an event keeps it, as a list always did.
     */
    @Test
    void aWatchEventsObjectIsStoredAsTheSameObjectListed() {
        String object = fixture("deployments.json")
                .replaceAll("(?s)^.*?\"items\":\\[", "")
                .replaceAll("(?s),\\s*\\{\"metadata\":\\{\"name\":\"api\".*$", "")
                .replaceFirst("\\{", "{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",");
        String event = "{\"type\":\"MODIFIED\",\"object\":" + object + "}";
        WatchEvent plainEvent = plain.unmarshal(event, WatchEvent.class);

        assertThat(plainEvent.getType()).isEqualTo("MODIFIED");
        assertThat(plainEvent.getObject()).isInstanceOf(PlainResource.class);
        HasMetadata read = (HasMetadata) plainEvent.getObject();
        assertThat(Cache.metaNamespaceKeyFunc(read)).isEqualTo("shop/web");
        assertThat(read.getMetadata().getResourceVersion()).isEqualTo("90101");
        TrimmedStore listedBefore = new TrimmedStore("lockstep", "apps/v1", "Deployment", TYPED);
        listed(TYPED, fixture("deployments.json"), "apps/v1", "Deployment")
                .forEach(o -> listedBefore.put(listedBefore.getKey(o), o));
        TrimmedStore after = new TrimmedStore("lockstep", "apps/v1", "Deployment", plain);
        after.put("shop/web", (GenericKubernetesResource) read);
        assertThat(sameNumbers(after.read("shop/web").orElseThrow()))
                .isEqualTo(sameNumbers(listedBefore.read("shop/web").orElseThrow()));

        // fabric8's way: the typed Deployment, converted to the informer's type
        WatchEvent typedEvent = TYPED.unmarshal(event, WatchEvent.class);
        TrimmedStore before = new TrimmedStore("lockstep", "apps/v1", "Deployment", TYPED);
        before.put("shop/web", TYPED.convertValue(typedEvent.getObject(), GenericKubernetesResource.class));
        assertThat(Tree.sameValue(
                        after.read("shop/web").orElseThrow(),
                        before.read("shop/web").orElseThrow()))
                .isTrue();
    }

    /** The informer queues each object for its handlers; once packed, that object holds no maps any more. */
    @Test
    void anObjectOnceStoredKeepsOnlyItsIdentityForTheInformer() {
        TrimmedStore store = new TrimmedStore("lockstep", "apps/v1", "Deployment", plain);
        GenericKubernetesResource web = listed(plain, fixture("deployments.json"), "apps/v1", "Deployment")
                .get(0);

        store.put(store.getKey(web), web);

        assertThat(Cache.metaNamespaceKeyFunc(web)).isEqualTo("shop/web");
        assertThat(web.getMetadata().getResourceVersion()).isEqualTo("90101");
        assertThat(((PlainResource) web).takeTree())
                .as("its maps were handed to the store")
                .isEmpty();
        assertThat(store.read("shop/web")).isPresent();
        Map<String, Object> stored = store.read("shop/web").orElseThrow();

        store.put(store.getKey(web), web); // the same object again (a replayed event): nothing lost, nothing thrown

        assertThat(store.read("shop/web")).contains(stored);
    }

    /** The informer takes a bookmark's version as its own (fabric8's reflector, and the stalled-watch probe). */
    @Test
    void aBookmarkCarriesItsVersionAndAnErrorEventStaysAStatus() {
        WatchEvent bookmark = plain.unmarshal(
                "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\","
                        + "\"metadata\":{\"resourceVersion\":\"91000\",\"creationTimestamp\":null}}}",
                WatchEvent.class);
        WatchEvent gone = plain.unmarshal(
                "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                        + "\"status\":\"Failure\",\"message\":\"too old resource version: 1 (90000)\","
                        + "\"reason\":\"Expired\",\"code\":410}}",
                WatchEvent.class);

        assertThat(bookmark.getType()).isEqualTo("BOOKMARK");
        assertThat(((HasMetadata) bookmark.getObject()).getMetadata().getResourceVersion())
                .isEqualTo("91000");
        assertThat(gone.getType()).isEqualTo("ERROR");
        assertThat(gone.getObject())
                .isInstanceOfSatisfying(
                        Status.class, s -> assertThat(s.getCode()).isEqualTo(410));
    }
}
