package dev.lockstep.cluster;

import dev.lockstep.manifest.KindScopes;

/**
 * Everything the reconcile pass needs from a cluster, as interfaces: {@link KubeCluster#connect} makes the real one
 * (fabric8), tests use an in-memory fake. Closing it stops the watches.
 */
public record ClusterPort(
        ObjectApi objects,
        LiveObjects live,
        ReplicaSetLister replicaSets,
        ControllerRevisions controllerRevisions,
        AppRecords records,
        KindScopes scopes)
        implements AutoCloseable {
    @Override
    public void close() {
        live.close();
    }
}
