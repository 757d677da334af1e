package dev.lockstep.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Function;

/**
 * The cluster as {@code status} and {@code history} read it: the records, workloads and revisions they need as raw JSON
 * ({@link RawKubeReads}), and the full client, made from the same {@link Config} only when something is asked that
 * the raw reads do not cover (a kind outside {@link RawObjectReader}'s table, the Leases of sharding).
 */
public final class ClusterReads implements AutoCloseable {
    private final RawKubeReads raw;
    private final Function<Config, KubernetesClient> fullClientOf;
    private KubernetesClient fullClient;

    /** @param fullClientOf makes the full client from the config, as every other command gets it */
    public ClusterReads(Config config, Function<Config, KubernetesClient> fullClientOf) {
        this.raw = new RawKubeReads(config);
        this.fullClientOf = fullClientOf;
    }

    public ObjectReader objects() {
        return new RawObjectReader(raw, () -> new KubeObjectReader(fullClient()));
    }

    public AppRecords records(String stateNamespace) {
        return new RawAppRecords(raw, stateNamespace);
    }

    public ReplicaSetLister replicaSets() {
        return new RawReplicaSets(raw);
    }

    public ControllerRevisions controllerRevisions() {
        return new RawControllerRevisions(raw);
    }

    /** The full client, made on the first call (its wiring and typed model cost a cold JVM about half a second). */
    public KubernetesClient fullClient() {
        if (fullClient == null) {
            fullClient = fullClientOf.apply(raw.config());
        }
        return fullClient;
    }

    /** Whether the full client was needed: for the tests of the fallback. */
    public boolean usedFullClient() {
        return fullClient != null;
    }

    @Override
    public void close() {
        raw.close();
        if (fullClient != null) {
            fullClient.close();
        }
    }
}
