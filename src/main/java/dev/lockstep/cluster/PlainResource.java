package dev.lockstep.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.Optional;

/**
 * An object of a watch cache's list or watch event as {@link PlainResourceDeserializer} read it: the whole object as
 * plain maps, for {@link TrimmedStore#put} to trim and pack, and for fabric8's informer only what it reads of an
 * object: kind, name, namespace and resourceVersion. Its maps live from its page of the list (or its event) until
 * the store has packed them.
 */
final class PlainResource extends GenericKubernetesResource {
    private transient Map<String, Object> tree;

    PlainResource(Map<String, Object> tree) {
        this.tree = tree;
        ObjectMeta meta = new ObjectMeta();
        if (tree.get("metadata") instanceof Map<?, ?> m) {
            meta.setName(string(m.get("name")));
            meta.setNamespace(string(m.get("namespace")));
            meta.setResourceVersion(string(m.get("resourceVersion")));
        }
        // a list's items come without the two: fabric8 sets them on each item after the list (as on a typed one)
        setApiVersion(string(tree.get("apiVersion")));
        setKind(string(tree.get("kind")));
        setMetadata(meta);
    }

    /**
     * The object as read, handed over once to the store to trim and pack: the informer's event queue keeps this object
     * until its handler ran, and during a list of 10,000 objects that must not be 10,000 trees of maps.
     *
     * @return the tree, or empty when it was taken already (this same object stored a second time)
     */
    synchronized Optional<Map<String, Object>> takeTree() {
        Optional<Map<String, Object>> taken = Optional.ofNullable(tree);
        tree = null;
        return taken;
    }

    private static String string(Object value) {
        return value instanceof String s ? s : null;
    }
}
