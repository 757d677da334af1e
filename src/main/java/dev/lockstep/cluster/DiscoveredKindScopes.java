package dev.lockstep.cluster;

import dev.lockstep.manifest.KindScopes;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which kinds are cluster-scoped, as the API server's discovery says, so custom resources are placed right too.
 * One discovery request per API group, on first use; a group the server does not serve (yet) is asked again next
 * time and meanwhile answered by the built-in table.
 */
public final class DiscoveredKindScopes implements KindScopes {
    private final KubernetesClient client;
    private final KindScopes fallback;
    private final Map<String, Map<String, Boolean>> clusterScopedByGroup = new ConcurrentHashMap<>();

    public DiscoveredKindScopes(KubernetesClient client, KindScopes fallback) {
        this.client = client;
        this.fallback = fallback;
    }

    @Override
    public java.util.Optional<String> serverVersion() {
        try {
            return java.util.Optional.ofNullable(client.getKubernetesVersion())
                    .map(io.fabric8.kubernetes.client.VersionInfo::getGitVersion);
        } catch (KubernetesClientException e) {
            return java.util.Optional.empty(); // the chart then sees Helm's default version; logged by the caller
        }
    }

    @Override
    public boolean clusterScoped(String group, String kind) {
        Map<String, Boolean> kinds = clusterScopedByGroup.computeIfAbsent(group, this::discover);
        Boolean scoped = kinds == null ? null : kinds.get(kind);
        return scoped != null ? scoped : fallback.clusterScoped(group, kind);
    }

    /** Kind → cluster-scoped for the group's preferred version; null (not cached) when discovery has nothing. */
    private Map<String, Boolean> discover(String group) {
        try {
            String groupVersion = "v1";
            if (!group.isEmpty()) {
                APIGroup served = client.getApiGroup(group);
                if (served == null || served.getPreferredVersion() == null) {
                    return null;
                }
                groupVersion = served.getPreferredVersion().getGroupVersion();
            }
            APIResourceList resources = client.getApiResources(groupVersion);
            if (resources == null || resources.getResources() == null) {
                return null;
            }
            Map<String, Boolean> kinds = new HashMap<>();
            for (APIResource r : resources.getResources()) {
                if (!r.getName().contains("/")) { // subresources (deployments/scale) are not kinds of their own
                    kinds.put(r.getKind(), !Boolean.TRUE.equals(r.getNamespaced()));
                }
            }
            return kinds.isEmpty() ? null : Map.copyOf(kinds);
        } catch (KubernetesClientException e) {
            return null;
        }
    }
}
