package dev.lockstep.manifest;

/**
 * Says whether a kind is cluster-scoped. An interface so the cluster package can answer from API discovery
 * (which also knows custom resources); {@link #builtIn()} knows the standard Kubernetes kinds only.
 */
public interface KindScopes {

    /** @param group API group, empty for the core group; @param kind e.g. {@code ClusterRole} */
    boolean clusterScoped(String group, String kind);

    /**
     * The server's version from discovery ({@code v1.20.2}), for a chart's {@code .Capabilities.KubeVersion}; empty
     * when unknown (no cluster, or discovery failed).
     */
    default java.util.Optional<String> serverVersion() {
        return java.util.Optional.empty();
    }

    /**
     * What the server's discovery serves, as Helm's {@code .Capabilities.APIVersions} lists it: each group/version
     * ({@code policy/v1beta1}) and each group/version/Kind ({@code policy/v1beta1/PodDisruptionBudget}); empty when
     * unknown (no cluster, or discovery failed).
     */
    default java.util.List<String> servedApiVersions() {
        return java.util.List.of();
    }

    /** Well-known cluster-scoped kinds; anything else (including every custom resource) counts as namespaced. */
    static KindScopes builtIn() {
        return BuiltInKindScopes.INSTANCE;
    }
}
