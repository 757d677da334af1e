package dev.lockstep.cluster;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.util.Tree;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.internal.OperationSupport;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A server-side apply sent as the bytes of the body Lockstep already holds, and read back as a plain map: no round
 * trip through fabric8's typed model, which made Jackson's bean serialization most of a cold apply's CPU. The request
 * goes through the client's own HTTP client, so its TLS, authentication, impersonation and interceptors apply as to
 * any other request. The resource path (plural, scope) comes from fabric8's discovery, once per apiVersion and kind.
 */
final class RawApply {
    private static final String APPLY_PATCH = "application/apply-patch+yaml";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final KubernetesClient client;
    private final String query;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, String> collectionPaths = new ConcurrentHashMap<>();

    RawApply(KubernetesClient client, String fieldManager) {
        this.client = client;
        this.query = "fieldManager=" + URLEncoder.encode(fieldManager, StandardCharsets.UTF_8) + "&force=true";
    }

    /**
     * A resourceVersion no stored object can have (etcd's revisions count up from 1, one per write). Server-side apply
     * takes {@code metadata.resourceVersion} as a precondition: an existing object is then refused with 409 Conflict,
     * while an absent one is created (the server ignores the version of an object it creates). That makes an apply
     * that only creates, keeping the fields Lockstep sets owned by its apply manager; a {@code POST} would own them as
     * an update, which a later apply cannot remove. As the 1.20 API server's code has it: an apply is an update that
     * may create; creating, it checks no version and clears it before storing; updating, a version that differs from
     * the stored one is a conflict. Of two such applies racing to create, etcd's transaction lets one through and runs
     * the other again against the object now stored, so that one gets the 409.
     */
    static final String NO_STORED_VERSION = Long.toUnsignedString(-1L);

    /** The object after a server-side apply of {@code body} (a dry run when asked); fabric8's exception on failure. */
    Map<String, Object> apply(ResourceKey key, String apiVersion, Map<String, Object> body, boolean dryRun) {
        return send(key, apiVersion, body, dryRun);
    }

    /** As {@link #apply}, but 409 Conflict if the object exists already: see {@link #NO_STORED_VERSION}. */
    Map<String, Object> create(ResourceKey key, String apiVersion, Map<String, Object> body) {
        Map<String, Object> preconditioned = new LinkedHashMap<>(body);
        Map<String, Object> metadata = new LinkedHashMap<>(Tree.map(body, "metadata"));
        metadata.put("resourceVersion", NO_STORED_VERSION);
        preconditioned.put("metadata", metadata);
        return send(key, apiVersion, preconditioned, false);
    }

    private Map<String, Object> send(ResourceKey key, String apiVersion, Map<String, Object> body, boolean dryRun) {
        byte[] bytes = json.writeValueAsBytes(body);
        URI uri = URI.create(objectPath(key, apiVersion) + "?" + query + (dryRun ? "&dryRun=All" : ""));
        HttpRequest request = client.getHttpClient()
                .newHttpRequestBuilder()
                .uri(uri)
                .method("PATCH", APPLY_PATCH, new ByteArrayInputStream(bytes), (long) bytes.length)
                .build();
        HttpResponse<byte[]> response;
        try {
            response = client.getHttpClient().sendAsync(request, byte[].class).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KubernetesClientException.launderThrowable(e);
        } catch (ExecutionException e) {
            throw KubernetesClientException.launderThrowable(e.getCause());
        }
        if (!response.isSuccessful()) {
            throw OperationSupport.requestFailure(
                    request, OperationSupport.createStatus(response, client.getKubernetesSerialization()));
        }
        return json.readValue(response.body(), MAP);
    }

    private String objectPath(ResourceKey key, String apiVersion) {
        String collection =
                collectionPaths.computeIfAbsent(apiVersion + "/" + key.kind(), k -> collection(apiVersion, key));
        String namespaced =
                key.clusterScoped() ? collection : collection.replace("{namespace}", encode(key.namespace()));
        return namespaced + "/" + encode(key.name());
    }

    /**
     * {@code https://host/apis/apps/v1/namespaces/{namespace}/deployments}: fabric8 resolves the plural and scope
     * (discovery for kinds it does not know); the namespace is filled in per object.
     */
    private String collection(String apiVersion, ResourceKey key) {
        OperationSupport support = (OperationSupport) client.genericKubernetesResources(apiVersion, key.kind());
        String base = client.getMasterUrl().toString().replaceAll("/+$", "");
        String group = ResourceKey.groupOf(apiVersion);
        String root = group.isEmpty() ? base + "/api/" + apiVersion : base + "/apis/" + apiVersion;
        String scope = support.isResourceNamespaced() && !key.clusterScoped() ? "/namespaces/{namespace}" : "";
        return root + scope + "/" + support.getResourceT();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
