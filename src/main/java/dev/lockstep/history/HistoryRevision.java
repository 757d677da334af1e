package dev.lockstep.history;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One revision of a workload: which commit made it, when Lockstep applied it, and how it went.
 *
 * @param revision  the revision number the controller gave it
 * @param was       the numbers it held before the controller reused it for a rollback ("4 (was 2)"), oldest first
 * @param object    the ReplicaSet (Deployment) or ControllerRevision (StatefulSet, DaemonSet) that holds it
 * @param current   whether the workload is at this revision now
 * @param commit    empty when Lockstep did not make it
 * @param appliedAt when Lockstep applied the commit; empty when not annotated
 * @param rollback  set when it is a rollback Lockstep made by reusing an earlier revision
 * @param images    its pod template's container images, in order
 * @param replicas  the ReplicaSet's pods now (0 for a ControllerRevision, which has none)
 * @param template  its pod template, without {@code pod-template-hash}
 */
public record HistoryRevision(
        long revision,
        List<Long> was,
        String object,
        boolean current,
        Optional<CommitRef> commit,
        Optional<Instant> appliedAt,
        RevisionResult result,
        Optional<RollbackOrigin> rollback,
        List<String> images,
        int replicas,
        Map<String, Object> template) {
    public HistoryRevision {
        was = List.copyOf(was);
        images = List.copyOf(images);
    }
}
