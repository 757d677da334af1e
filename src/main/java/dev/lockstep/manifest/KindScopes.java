package dev.lockstep.manifest;

/**
 * Says whether a kind is cluster-scoped. An interface so the cluster package can answer from API discovery
 * (which also knows custom resources); {@link #builtIn()} knows the standard Kubernetes kinds only.
 */
public interface KindScopes {

    /** @param group API group, empty for the core group; @param kind e.g. {@code ClusterRole} */
    boolean clusterScoped(String group, String kind);

    /** Well-known cluster-scoped kinds; anything else (including every custom resource) counts as namespaced. */
    static KindScopes builtIn() {
        return BuiltInKindScopes.INSTANCE;
    }
}
