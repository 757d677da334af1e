package dev.lockstep.cluster;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.ServiceAccountRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link ObjectApi} on fabric8: server-side apply (real or dry run) with one field manager and forced conflicts,
 * and deletes; optionally as an impersonated ServiceAccount.
 */
public final class ServerSideApply implements ObjectApi {
    /** The verb in the API server's own refusal: {@code ... cannot create resource "secrets" ...}. */
    private static final Pattern REFUSED_VERB = Pattern.compile("cannot (\\w+) resource");

    private final KubernetesClient client;
    private final String fieldManager;
    private final Optional<ServiceAccountRef> account;
    /** One derived client per impersonated account; they share the parent's HTTP client. */
    private final Map<ServiceAccountRef, ServerSideApply> impersonating = new ConcurrentHashMap<>();

    private final RawApply raw;

    public ServerSideApply(KubernetesClient client, String fieldManager) {
        this(client, fieldManager, Optional.empty());
    }

    private ServerSideApply(KubernetesClient client, String fieldManager, Optional<ServiceAccountRef> account) {
        this.client = client;
        this.fieldManager = fieldManager;
        this.account = account;
        this.raw = new RawApply(client, fieldManager);
    }

    @Override
    public ObjectApi as(ServiceAccountRef account) {
        if (this.account.isPresent()) {
            throw new IllegalStateException("already impersonating " + this.account.get());
        }
        return impersonating.computeIfAbsent(
                account, a -> new ServerSideApply(impersonated(client, a), fieldManager, Optional.of(a)));
    }

    /**
     * Only the user name is sent: the API server then adds the ServiceAccount's groups itself
     * ({@code system:serviceaccounts}, {@code system:serviceaccounts:<ns>}), so the daemon needs {@code impersonate} on
     * serviceaccounts and nothing on groups.
     */
    private static KubernetesClient impersonated(KubernetesClient client, ServiceAccountRef account) {
        RequestConfig config = new RequestConfigBuilder(
                        client.getConfiguration().getRequestConfig())
                .withImpersonateUsername(account.username())
                .withImpersonateGroups()
                .build();
        return client.newClient(config).adapt(KubernetesClient.class);
    }

    @Override
    public Map<String, Object> dryRunApply(ResourceKey key, Map<String, Object> body) {
        return raw(key, "dry-run apply", body, true);
    }

    @Override
    public Map<String, Object> apply(ResourceKey key, Map<String, Object> body) {
        return raw(key, "apply", body, false);
    }

    @Override
    public Map<String, Object> create(ResourceKey key, Map<String, Object> body) {
        try {
            return raw.create(key, String.valueOf(body.get("apiVersion")), body);
        } catch (KubernetesClientException e) {
            if (refusedTheCreateOnlyForm(key, e)) {
                // Some kinds create through storage of their own that refuses any version on a new object (a Service
                // on 1.20: "An error has occurred"): those go out as the plain apply they were, without the guard
                // against a racing create, which then fails or passes on its own.
                return apply(key, body);
            }
            if (e.getCode() == 409) {
                throw new ClusterException(
                        "create " + key + " failed: it exists by now (created by another app or client since this pass"
                                + " planned it); its owner is judged again at the next pass",
                        409,
                        e);
            }
            throw failure(key, "create", e);
        }
    }

    /**
     * Whether the server cannot take an apply with a version precondition for this object, as opposed to failing: a
     * 400 or 422 for any kind, and any failure but 409 and 403 for a core Service (1.20's Service storage fails it with
     * an answer fabric8 reports without a status code: "An error has occurred"). For other kinds a fault (a 5xx, or no
     * answer at all) is not sent again as a plain apply: that would drop the guard against a racing create and re-send
     * a write during an outage; the pass fails and is retried.
     */
    private static boolean refusedTheCreateOnlyForm(ResourceKey key, KubernetesClientException e) {
        int code = e.getCode();
        if (code == 409 || code == 403) {
            return false;
        }
        return code == 400
                || code == 422
                || ("Service".equals(key.kind()) && key.group().isEmpty());
    }

    private Map<String, Object> raw(ResourceKey key, String verb, Map<String, Object> body, boolean dryRun) {
        try {
            return raw.apply(key, String.valueOf(body.get("apiVersion")), body, dryRun);
        } catch (KubernetesClientException e) {
            throw failure(key, verb, e);
        }
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

    private Map<String, Object> call(ResourceKey key, String verb, Supplier<GenericKubernetesResource> op) {
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

    private ClusterException failure(ResourceKey key, String verb, KubernetesClientException e) {
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage();
        if (e.getCode() == 403) {
            return new ClusterException(forbidden(key, verb, reason), 403, e);
        }
        return new ClusterException(verb + " " + key + " failed: " + reason, e.getCode(), e);
    }

    /** Who was refused what, on which object; then the server's own words. */
    private String forbidden(ResourceKey key, String verb, String reason) {
        if (account.isPresent() && reason.contains("cannot impersonate")) {
            return "forbidden: Lockstep may not impersonate " + account.get()
                    + " (grant it \"impersonate\" on serviceaccounts, as config/deploy/impersonation/rbac-impersonation.yaml does): "
                    + reason;
        }
        Matcher refused = REFUSED_VERB.matcher(reason);
        String kubeVerb = refused.find() ? refused.group(1) : verb.equals("delete") ? "delete" : "patch";
        String who = account.map(ServiceAccountRef::toString).orElse("Lockstep's own account");
        return "forbidden: " + who + " may not " + kubeVerb + " " + key + " (" + verb + "): " + reason;
    }
}
