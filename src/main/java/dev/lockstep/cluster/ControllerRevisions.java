package dev.lockstep.cluster;

import dev.lockstep.model.ControllerRevisionInfo;
import java.util.List;
import java.util.Map;

/**
 * The ControllerRevisions of StatefulSets and DaemonSets, their revision history. Read only when a pod template
 * changes, a rollout ends or history is shown; written (metadata only) when the controller reuses one for a rollback,
 * since it then keeps the annotations of the commit that first made it.
 */
public interface ControllerRevisions {
    /** None: for tests and tools that never meet a StatefulSet or DaemonSet. */
    ControllerRevisions NONE = new ControllerRevisions() {
        @Override
        public List<ControllerRevisionInfo> ownedBy(
                String namespace, String ownerKind, String ownerName, Map<String, String> selector) {
            return List.of();
        }

        @Override
        public void annotate(String namespace, String name, Map<String, String> annotations) {}

        @Override
        public List<String> deleteUnreadyPodsNotAt(String namespace, Map<String, String> selector, String revision) {
            return List.of();
        }
    };

    /**
     * The ControllerRevisions a StatefulSet or DaemonSet owns, lowest revision first. {@code selector} is the owner's
     * {@code spec.selector.matchLabels}, which the controller puts on each of them, so the server can filter.
     */
    List<ControllerRevisionInfo> ownedBy(
            String namespace, String ownerKind, String ownerName, Map<String, String> selector);

    /** Merges these annotations into a ControllerRevision's metadata; its data (the pod template) is never touched. */
    void annotate(String namespace, String name, Map<String, String> annotations);

    /**
     * A StatefulSet's forced rollback (Kubernetes documents it as a manual step): with the OrderedReady policy the
     * controller waits for a broken pod to become Ready before it replaces it, so after a rollback it never does.
     * Deletes the pods matching {@code selector} that are not Ready and not at {@code revision} (their
     * {@code controller-revision-hash} label), and not already being deleted; the controller re-creates them at it.
     *
     * @return the names of the pods deleted
     */
    List<String> deleteUnreadyPodsNotAt(String namespace, Map<String, String> selector, String revision);
}
