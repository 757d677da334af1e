package dev.lockstep.cluster;

import dev.lockstep.model.ResourceKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;

/**
 * Every write Lockstep makes: server-side apply (real or dry run) with one field manager and forced
 * conflicts, and deletes. Objects travel as plain maps so any kind works.
 */
public final class ClusterWriter {
    private final KubernetesClient client;
    private final String fieldManager;

    public ClusterWriter(KubernetesClient client, String fieldManager) {
        this.client = client;
        this.fieldManager = fieldManager;
    }

    /** Server-side dry run: what the object would look like, defaulted and validated, without persisting. */
    public Map<String, Object> dryRun(ResourceKey key, Map<String, Object> body) {
        return call(key, "dry-run apply", () -> client.resource(toResource(body)).dryRun()
                .fieldManager(fieldManager).forceConflicts().serverSideApply());
    }

    public Map<String, Object> apply(ResourceKey key, Map<String, Object> body) {
        return call(key, "apply", () -> client.resource(toResource(body))
                .fieldManager(fieldManager).forceConflicts().serverSideApply());
    }

    /** Deletes with background propagation; true when something was deleted, false when already gone. */
    public boolean delete(ResourceKey key, String apiVersion) {
        try {
            var op = client.genericKubernetesResources(apiVersion, key.kind());
            List<StatusDetails> gone = key.clusterScoped()
                    ? op.withName(key.name()).delete()
                    : op.inNamespace(key.namespace()).withName(key.name()).delete();
            return !gone.isEmpty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw failure(key, "delete", e);
        }
    }

    private Map<String, Object> call(ResourceKey key, String verb, java.util.function.Supplier<GenericKubernetesResource> op) {
        try {
            return toMap(op.get());
        } catch (KubernetesClientException e) {
            throw failure(key, verb, e);
        }
    }

    private GenericKubernetesResource toResource(Map<String, Object> body) {
        return client.getKubernetesSerialization().convertValue(body, GenericKubernetesResource.class);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> toMap(GenericKubernetesResource resource) {
        return client.getKubernetesSerialization().convertValue(resource, Map.class);
    }

    private static ClusterException failure(ResourceKey key, String verb, KubernetesClientException e) {
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return new ClusterException(verb + " " + key + " failed: " + reason, e.getCode(), e);
    }
}
