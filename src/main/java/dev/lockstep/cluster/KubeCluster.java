package dev.lockstep.cluster;

import dev.lockstep.manifest.KindScopes;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/** Builds the {@link ClusterPort} on a fabric8 client: the only place where the port's parts meet the real API server. */
public final class KubeCluster {
    /** How long the first list of a newly watched kind may take before the pass gives up (and retries). */
    private static final Duration WATCH_SYNC_TIMEOUT = Duration.ofSeconds(60);

    private KubeCluster() {}

    /** @param stateNamespace where the per-app records live */
    public static ClusterPort connect(KubernetesClient client, String stateNamespace) {
        return new ClusterPort(
                new ServerSideApply(client, ServerSideApply.FIELD_MANAGER),
                new LiveCache(client, WATCH_SYNC_TIMEOUT),
                new ReplicaSets(client),
                new KubeControllerRevisions(client),
                new ConfigMapAppRecords(client, stateNamespace),
                new DiscoveredKindScopes(client, KindScopes.builtIn()));
    }
}
