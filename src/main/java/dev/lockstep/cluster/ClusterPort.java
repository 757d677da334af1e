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
    /** The same port, with every write (apply, delete, record save) checked against {@code fence} first. */
    public ClusterPort fencedBy(WriteFence fence) {
        return new ClusterPort(
                new FencedObjectApi(objects, fence),
                live,
                replicaSets,
                new FencedControllerRevisions(controllerRevisions, fence),
                new FencedAppRecords(records, fence),
                scopes);
    }

    @Override
    public void close() {
        live.close();
    }
}
