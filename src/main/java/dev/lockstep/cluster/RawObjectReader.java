package dev.lockstep.cluster;

import dev.lockstep.model.ResourceKey;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link ObjectReader} by one raw GET per object, for the kinds whose resource path is fixed by Kubernetes itself:
 * the ones {@code status} and {@code history} read. Any other kind (a CRD, a kind of another group) goes to
 * {@code fallback}, made only when first needed, which finds the path by discovery as the full client does; so does
 * a namespaced kind without a namespace, which the full client puts in the kubeconfig's.
 */
public final class RawObjectReader implements ObjectReader {
    /** "group/Kind" to the plural of its resource path: the built-in kinds Lockstep judges or reads history of. */
    private static final Map<String, String> PLURALS = Map.of(
            "apps/Deployment", "deployments",
            "apps/StatefulSet", "statefulsets",
            "apps/DaemonSet", "daemonsets",
            "apps/ReplicaSet", "replicasets",
            "batch/Job", "jobs",
            "/PersistentVolumeClaim", "persistentvolumeclaims",
            "/Service", "services",
            "/ConfigMap", "configmaps");

    private final RawKubeReads api;
    private final Supplier<ObjectReader> fallback;
    private ObjectReader fallbackReader;

    public RawObjectReader(RawKubeReads api, Supplier<ObjectReader> fallback) {
        this.api = api;
        this.fallback = fallback;
    }

    @Override
    public Optional<Map<String, Object>> get(String apiVersion, ResourceKey key) {
        String plural = PLURALS.get(key.group() + "/" + key.kind());
        if (plural == null
                || key.clusterScoped()
                || !ResourceKey.groupOf(apiVersion).equals(key.group())) {
            if (fallbackReader == null) {
                fallbackReader = fallback.get();
            }
            return fallbackReader.get(apiVersion, key);
        }
        try {
            return api.get(RawKubeReads.collection(apiVersion, key.namespace(), plural) + "/"
                    + RawKubeReads.segment(key.name()));
        } catch (KubernetesClientException e) {
            // the server's words as they are: the command prints them (as KubeObjectReader)
            throw new ClusterException(e.getMessage(), e.getCode(), e);
        }
    }
}
