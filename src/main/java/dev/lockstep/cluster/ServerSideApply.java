package dev.lockstep.cluster;

import dev.lockstep.model.ResourceKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;

/**
 * {@link ObjectApi} on fabric8: server-side apply (real or dry run) with one field manager and forced conflicts,
 * and deletes.
 */
public final class ServerSideApply implements ObjectApi {
    /** The field manager of every apply, so the server can tell Lockstep's fields from everyone else's. */
    public static final String FIELD_MANAGER = "lockstep";

    private final KubernetesClient client;
    private final String fieldManager;

    public ServerSideApply(KubernetesClient client, String fieldManager) {
        this.client = client;
        this.fieldManager = fieldManager;
    }

    @Override
    public Map<String, Object> dryRunApply(ResourceKey key, Map<String, Object> body) {
        return call(
                key,
                "dry-run apply",
                () -> client.resource(toResource(body))
                        .dryRun()
                        .fieldManager(fieldManager)
                        .forceConflicts()
                        .serverSideApply());
    }

    @Override
    public Map<String, Object> apply(ResourceKey key, Map<String, Object> body) {
        return call(
                key,
                "apply",
                () -> client.resource(toResource(body))
                        .fieldManager(fieldManager)
                        .forceConflicts()
                        .serverSideApply());
    }

    @Override
    public String fieldManager() {
        return fieldManager;
    }

    @Override
    public void replaceManagedFields(
            ResourceKey key, String apiVersion, String resourceVersion, List<Map<String, Object>> fields) {
        List<Map<String, Object>> patch = List.of(
                Map.of("op", "test", "path", "/metadata/resourceVersion", "value", resourceVersion),
                Map.of("op", "replace", "path", "/metadata/managedFields", "value", fields));
        String json = client.getKubernetesSerialization().asJson(patch);
        call(key, "take over fields of", () -> {
            var op = client.genericKubernetesResources(apiVersion, key.kind());
            var named = key.clusterScoped()
                    ? op.withName(key.name())
                    : op.inNamespace(key.namespace()).withName(key.name());
            return named.patch(
                    new PatchContext.Builder().withPatchType(PatchType.JSON).build(), json);
        });
    }

    @Override
    public Map<String, Object> dryRunReplace(ResourceKey key, String apiVersion, Map<String, Object> body) {
        Map<String, Object> whole = new java.util.LinkedHashMap<>(body);
        return call(
                key,
                "dry-run update",
                () -> client.resource(toResource(whole)).dryRun().update());
    }

    @Override
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

    private Map<String, Object> call(
            ResourceKey key, String verb, java.util.function.Supplier<GenericKubernetesResource> op) {
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
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage();
        return new ClusterException(verb + " " + key + " failed: " + reason, e.getCode(), e);
    }
}
