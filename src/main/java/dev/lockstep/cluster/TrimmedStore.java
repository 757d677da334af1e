package dev.lockstep.cluster;

import dev.lockstep.util.PackedTree;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The watch cache's store: each object packed into bytes ({@link PackedTree}), keeping only what the checks read. At
 * 10,000 objects the managedFields (often larger than the object itself) and kubectl's last-applied annotation (a copy
 * of the whole object) were most of the memory, and fabric8's typed model of the rest most of what remained: about
 * 10 KB of small objects per Deployment, where its packed bytes are well under one.
 *
 * <p>managedFields (and with them the last-applied annotation) are dropped only when every entry belongs to a {@link
 * #ROUTINE} manager: Lockstep itself or the controller manager writing status. Field adoption and the drift check read
 * the entries of other managers (a client-side {@code kubectl apply}, a tool the config names), and a takeover rewrites
 * the whole list, so an object with any such entry keeps all of them. {@code status} stays: rollouts and readiness read
 * it.
 *
 * <p>The informer itself only needs an object's key and resourceVersion (to tell an update from a replay, and to name
 * the object in its add, update and delete events, where Lockstep reads nothing else of the old copy): what this store
 * hands back to it ({@link #get}, {@link #values}, the old copy from {@link #put}) is a stub with just the metadata.
 * The cache reads whole objects through {@link #read}.
 */
final class TrimmedStore implements ItemStore<GenericKubernetesResource> {
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private final Set<String> routine;
    private final String apiVersion;
    private final String kind;
    private final KubernetesSerialization serialization;
    private final Map<String, Packed> store = new ConcurrentHashMap<>();

    /** One object: its resourceVersion (read on every drift check, without unpacking) and the packed tree. */
    private record Packed(String resourceVersion, byte[] tree) {}

    /** @param fieldManager Lockstep's own field manager */
    TrimmedStore(String fieldManager, String apiVersion, String kind, KubernetesSerialization serialization) {
        this.routine = routine(fieldManager);
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.serialization = serialization;
    }

    /** The field managers whose managedFields the cache does not keep: Lockstep's own and the controller manager. */
    static Set<String> routine(String fieldManager) {
        return Set.of(fieldManager, "kube-controller-manager");
    }

    /** Drops what the class comment says from {@code object} (as JSON gives it), in place. */
    static void trim(Map<String, Object> object, Set<String> routine) {
        if (!(object.get("metadata") instanceof Map<?, ?> meta)
                || !(meta.get("managedFields") instanceof List<?> managed)
                || !managed.stream()
                        .allMatch(e -> e instanceof Map<?, ?> entry
                                && entry.get("manager") instanceof String manager
                                && routine.contains(manager))) {
            return; // another manager's fields: adoption and the drift check need the whole picture
        }
        meta.remove("managedFields");
        if (meta.get("annotations") instanceof Map<?, ?> annotations) {
            // Held by no client-side kubectl any more: the next apply's answer no longer has it either.
            annotations.remove(LAST_APPLIED);
        }
    }

    /** The whole object as a new mutable map, as the API server sent it (less what {@link #trim} drops). */
    Optional<Map<String, Object>> read(String key) {
        Packed packed = store.get(key);
        return packed == null ? Optional.empty() : Optional.of(PackedTree.unpackMap(packed.tree()));
    }

    /** The object's resourceVersion, read without unpacking it. */
    Optional<String> resourceVersion(String key) {
        Packed packed = store.get(key);
        return packed == null ? Optional.empty() : Optional.ofNullable(packed.resourceVersion());
    }

    @Override
    public String getKey(GenericKubernetesResource object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    /**
     * Packs the object: a {@link PlainResource} (the watch client's lists and events, {@link WatchSerialization}) from
     * the maps it was read into; any other (another client's, typed) first turned into maps, as before.
     */
    @Override
    @SuppressWarnings("unchecked")
    public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
        Map<String, Object> tree;
        if (object instanceof PlainResource plain) {
            Optional<Map<String, Object>> taken = plain.takeTree();
            if (taken.isEmpty()) {
                return stub(key, store.get(key)); // this same object again: what it holds is packed already
            }
            tree = withType(taken.get(), object.getApiVersion(), object.getKind());
        } else {
            tree = serialization.convertValue(object, Map.class);
        }
        trim(tree, routine);
        String version =
                object.getMetadata() == null ? null : object.getMetadata().getResourceVersion();
        return stub(key, store.put(key, new Packed(version, PackedTree.pack(tree))));
    }

    /**
     * {@code tree} with the apiVersion and kind fabric8 gave its object: a list's items come without them, and fabric8
     * sets them on each item after the list. First, as the typed object had them.
     */
    private static Map<String, Object> withType(Map<String, Object> tree, String apiVersion, String kind) {
        if (Objects.equals(tree.get("apiVersion"), apiVersion) && Objects.equals(tree.get("kind"), kind)) {
            return tree;
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        if (apiVersion != null) {
            typed.put("apiVersion", apiVersion);
        }
        if (kind != null) {
            typed.put("kind", kind);
        }
        tree.forEach(typed::putIfAbsent);
        return typed;
    }

    @Override
    public GenericKubernetesResource remove(String key) {
        return stub(key, store.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return store.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
        return store.entrySet().stream().map(e -> stub(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
        return stub(key, store.get(key));
    }

    /** The object's identity and version only (see the class comment), or null for none. */
    private GenericKubernetesResource stub(String key, Packed packed) {
        if (packed == null) {
            return null;
        }
        int slash = key.indexOf('/');
        ObjectMeta meta = new ObjectMeta();
        meta.setNamespace(slash < 0 ? null : key.substring(0, slash));
        meta.setName(key.substring(slash + 1));
        meta.setResourceVersion(packed.resourceVersion());
        GenericKubernetesResource stub = new GenericKubernetesResource();
        stub.setApiVersion(apiVersion);
        stub.setKind(kind);
        stub.setMetadata(meta);
        return stub;
    }
}
