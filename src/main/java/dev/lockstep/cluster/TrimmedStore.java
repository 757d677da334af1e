package dev.lockstep.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The watch cache's store, keeping of each object only what the checks read. At 10,000 objects the managedFields
 * (often larger than the object itself) and kubectl's last-applied annotation (a copy of the whole object) are most
 * of the memory.
 *
 * <p>managedFields (and with them the last-applied annotation) are dropped only when every entry belongs to a {@link #ROUTINE} manager: Lockstep itself or the
 * controller manager writing status. Field adoption and the drift check read the entries of other managers (a
 * client-side {@code kubectl apply}, a tool the config names), and a takeover rewrites the whole list, so an object
 * with any such entry keeps all of them. {@code status} stays: rollouts and readiness read it.
 */
final class TrimmedStore implements ItemStore<GenericKubernetesResource> {
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private final Set<String> routine;
    private final BasicItemStore<GenericKubernetesResource> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

    /** @param fieldManager Lockstep's own field manager */
    TrimmedStore(String fieldManager) {
        this.routine = Set.of(fieldManager, "kube-controller-manager");
    }

    static void trim(GenericKubernetesResource object, Set<String> routine) {
        ObjectMeta meta = object.getMetadata();
        if (meta == null) {
            return;
        }
        List<ManagedFieldsEntry> managed = meta.getManagedFields();
        if (managed == null || !managed.stream().allMatch(e -> routine.contains(e.getManager()))) {
            return; // another manager's fields: adoption and the drift check need the whole picture
        }
        meta.setManagedFields(null);
        if (meta.getAnnotations() != null) {
            // Held by no client-side kubectl any more: the next apply's answer no longer has it either.
            meta.getAnnotations().remove(LAST_APPLIED);
        }
    }

    @Override
    public String getKey(GenericKubernetesResource object) {
        return store.getKey(object);
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
        trim(object, routine);
        return store.put(key, object);
    }

    @Override
    public GenericKubernetesResource remove(String key) {
        return store.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return store.keySet();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
        return store.values();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
        return store.get(key);
    }
}
