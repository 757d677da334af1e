package dev.lockstep.cluster;

import dev.lockstep.manifest.KindScopes;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which kinds are cluster-scoped, as the API server's discovery says, so custom resources are placed right too.
 * One discovery request per API group, on first use; a group the server does not serve (yet) is asked again next
 * time and meanwhile answered by the built-in table.
 */
public final class DiscoveredKindScopes implements KindScopes {
    /** A commit renders every chart app at once: one discovery walk serves them all, and a new CRD shows soon. */
    static final Duration SERVED_API_VERSIONS_TTL = Duration.ofMinutes(1);

    private final KubernetesClient client;
    private final KindScopes fallback;
    private final Clock clock;
    private final Map<String, Map<String, Boolean>> clusterScopedByGroup = new ConcurrentHashMap<>();
    private final AtomicReference<Served> served = new AtomicReference<>();

    public DiscoveredKindScopes(KubernetesClient client, KindScopes fallback, Clock clock) {
        this.client = client;
        this.fallback = fallback;
        this.clock = clock;
    }

    private record Served(Instant at, List<String> apiVersions) {}

    /**
     * Every group/version the server serves and every Kind at each, as Helm's discovery-based version set has them
     * (subresource kinds such as {@code autoscaling/v1/Scale} included); one request per group/version, kept a
     * minute. Empty when discovery fails: the chart then sees Helm's built-in list, and the render says nothing
     * false about the cluster.
     */
    @Override
    public List<String> servedApiVersions() {
        Served last = served.get();
        Instant now = clock.instant();
        if (last != null && now.isBefore(last.at().plus(SERVED_API_VERSIONS_TTL))) {
            return last.apiVersions();
        }
        try {
            Set<String> versions = new TreeSet<>();
            List<String> groupVersions = new ArrayList<>(List.of("v1"));
            APIGroupList groups = client.getApiGroups();
            if (groups != null && groups.getGroups() != null) {
                for (APIGroup group : groups.getGroups()) {
                    group.getVersions().forEach(v -> groupVersions.add(v.getGroupVersion()));
                }
            }
            for (String groupVersion : groupVersions) {
                versions.add(groupVersion);
                try {
                    APIResourceList resources = client.getApiResources(groupVersion);
                    if (resources != null && resources.getResources() != null) {
                        resources.getResources().forEach(r -> versions.add(groupVersion + "/" + r.getKind()));
                    }
                } catch (KubernetesClientException e) {
                    // an aggregated API that is down (metrics.k8s.io): its group/version is still listed, as by
                    // Helm, which keeps the partial answer of a failed group's discovery
                }
            }
            List<String> list = List.copyOf(versions);
            served.set(new Served(now, list));
            return list;
        } catch (KubernetesClientException e) {
            return List.of();
        }
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
