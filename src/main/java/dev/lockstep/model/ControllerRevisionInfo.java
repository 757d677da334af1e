package dev.lockstep.model;

import java.time.Instant;
import java.util.Map;

/**
 * One ControllerRevision of a StatefulSet or DaemonSet: its revision number, annotations (the controller copies the
 * object's annotations onto a new one, and leaves them alone when it reuses it) and the pod template it stores.
 */
public record ControllerRevisionInfo(
        String name,
        String uid,
        long revision,
        Map<String, String> annotations,
        Map<String, Object> template,
        Instant created) {

    /** The same revision in the shape the history table reads (no replica count: a ControllerRevision has none). */
    public ReplicaSetInfo asRevisionRow() {
        return new ReplicaSetInfo(name, uid, revision, annotations, template, created, 0);
    }
}
