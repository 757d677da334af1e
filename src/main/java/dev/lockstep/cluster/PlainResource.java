package dev.lockstep.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;

/**
 * An object of a watch cache's list or watch event as {@link PlainResourceDeserializer} read it: the whole object as
 * plain maps, for {@link TrimmedStore#put} to trim and pack, and for fabric8's informer only what it reads of an
 * object: kind, name, namespace and resourceVersion. Lives from its page of the list (or its event) until the store
 * has packed it.
 */
final class PlainResource extends GenericKubernetesResource {
    private final transient Map<String, Object> tree;

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

    /** The object as read, for the store to trim and pack (it may change it). */
    Map<String, Object> tree() {
        return tree;
    }

    private static String string(Object value) {
        return value instanceof String s ? s : null;
    }
}
