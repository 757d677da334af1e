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
        KindScopes scopes,
        WriteFence fence)
        implements AutoCloseable {
    /** An unfenced port: every write may go out. */
    public ClusterPort(
            ObjectApi objects,
            LiveObjects live,
            ReplicaSetLister replicaSets,
            ControllerRevisions controllerRevisions,
            AppRecords records,
            KindScopes scopes) {
        this(objects, live, replicaSets, controllerRevisions, records, scopes, WriteFence.OPEN);
    }

    /**
     * The same port, with every write (apply, delete, record save) checked against {@code extra} first. The combined
     * fence stays readable as {@link #fence()}, for writes that do not go to the cluster (a write-back's git push).
     */
    public ClusterPort fencedBy(WriteFence extra) {
        WriteFence before = fence;
        return new ClusterPort(
                new FencedObjectApi(objects, extra),
                live,
                replicaSets,
                new FencedControllerRevisions(controllerRevisions, extra),
                new FencedAppRecords(records, extra),
                scopes,
                () -> before.mayWrite() && extra.mayWrite());
    }

    @Override
    public void close() {
        live.close();
    }
}
