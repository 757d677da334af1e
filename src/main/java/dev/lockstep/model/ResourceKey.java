package dev.lockstep.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * Identity of a Kubernetes object: API group, kind, namespace (empty for cluster-scoped) and name.
 * The version is deliberately not part of the identity: apps/v1 and apps/v1beta1 name the same object.
 */
public record ResourceKey(String group, String kind, String namespace, String name) implements Comparable<ResourceKey> {

    private static final Comparator<ResourceKey> ORDER = Comparator.comparing(ResourceKey::group)
            .thenComparing(ResourceKey::kind)
            .thenComparing(ResourceKey::namespace)
            .thenComparing(ResourceKey::name);

    /**
     * Group, kind and namespace take few values, held by thousands of keys (the record, the inventory, the state per
     * object): one shared copy of each.
     */
    public ResourceKey {
        group = Objects.requireNonNull(group, "group").intern();
        kind = Objects.requireNonNull(kind, "kind").intern();
        namespace = namespace == null ? "" : namespace.intern();
        Objects.requireNonNull(name, "name");
    }

    /** Builds a key from an apiVersion such as {@code apps/v1} or {@code v1}. */
    public static ResourceKey of(String apiVersion, String kind, String namespace, String name) {
        return new ResourceKey(groupOf(apiVersion), kind, namespace, name);
    }

    public static String groupOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    public boolean clusterScoped() {
        return namespace.isEmpty();
    }

    /** {@code Deployment/shop/hello-app}, or {@code Namespace/shop} for cluster-scoped objects. */
    @Override
    public String toString() {
        return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }

    @Override
    public int compareTo(ResourceKey other) {
        return ORDER.compare(this, other);
    }
}
