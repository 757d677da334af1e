package dev.lockstep.cluster;

import dev.lockstep.manifest.KindScopes;
import dev.lockstep.model.MetadataKeys;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import java.time.Duration;

/** Builds the {@link ClusterPort} on a fabric8 client: the only place where the port's parts meet the real API server. */
public final class KubeCluster {
    /** How long the first list of a newly watched kind may take before the pass gives up (and retries). */
    private static final Duration WATCH_SYNC_TIMEOUT = Duration.ofSeconds(60);

    private KubeCluster() {}

    /** @param stateNamespace where the per-app records live */
    public static ClusterPort connect(KubernetesClient client, String stateNamespace) {
        return connect(client, client, stateNamespace);
    }

    /**
     * For a daemon whose writes are fenced: each request of a pass (applies, deletes, record saves, ControllerRevision
     * annotations) is sent once. fabric8 re-sends a request that got no answer or a 5xx for up to about 20 s by
     * default, which can land a write long after the fence that let it through has closed and another replica leads;
     * the pass's own retry checks the fence again instead.
     */
    public static ClusterPort connectSendingOnce(KubernetesClient client, String stateNamespace) {
        KubernetesClient once = client.newClient(
                        new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                                .withRequestRetryBackoffLimit(0)
                                .build())
                .adapt(KubernetesClient.class);
        return connect(once, client, stateNamespace);
    }

    /**
     * As {@link #connect(KubernetesClient, String)}, around a watch cache made by the caller: a test that counts every
     * request gives one whose clients count theirs too.
     */
    public static ClusterPort connect(KubernetesClient client, LiveCache live, String stateNamespace) {
        return port(client, live, stateNamespace);
    }

    private static ClusterPort connect(KubernetesClient requests, KubernetesClient watches, String stateNamespace) {
        return port(requests, new LiveCache(watches, WATCH_SYNC_TIMEOUT), stateNamespace);
    }

    private static ClusterPort port(KubernetesClient requests, LiveCache live, String stateNamespace) {
        return new ClusterPort(
                new ServerSideApply(requests, MetadataKeys.FIELD_MANAGER),
                live,
                new ReplicaSets(requests),
                new KubeControllerRevisions(requests),
                new ConfigMapAppRecords(requests, stateNamespace),
                new DiscoveredKindScopes(requests, KindScopes.builtIn(), java.time.Clock.systemUTC()));
    }
}
