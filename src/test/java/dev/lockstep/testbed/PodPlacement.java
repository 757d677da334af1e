package dev.lockstep.testbed;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * What the default scheduler would read from a pod before binding it. The DaemonSet controller (1.17+) does not set
 * {@code spec.nodeName}: it pins each pod to its node with a required node affinity on the field
 * {@code metadata.name} (verified on the local 1.20 control plane), and leaves the binding to the scheduler.
 */
final class PodPlacement {
    private PodPlacement() {}

    /** The node a pod's required node affinity names by {@code metadata.name}, if it names exactly one. */
    static Optional<String> pinnedNode(Pod pod) {
        var affinity = pod.getSpec().getAffinity();
        if (affinity == null
                || affinity.getNodeAffinity() == null
                || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return Optional.empty();
        }
        List<NodeSelectorTerm> terms = affinity.getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms();
        for (NodeSelectorTerm term : terms == null ? List.<NodeSelectorTerm>of() : terms) {
            for (NodeSelectorRequirement r :
                    term.getMatchFields() == null ? List.<NodeSelectorRequirement>of() : term.getMatchFields()) {
                if ("metadata.name".equals(r.getKey())
                        && "In".equals(r.getOperator())
                        && r.getValues() != null
                        && r.getValues().size() == 1) {
                    return Optional.of(r.getValues().get(0));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * True for a pod a Job owns, and for a pod no controller owns whose {@code restartPolicy} is {@code Never} (a Helm
     * hook Pod): it runs to completion instead of staying Running. A bare pod that restarts (the default, Always) is a
     * server and stays Running.
     */
    static boolean runsToCompletion(Pod pod) {
        var owners = pod.getMetadata().getOwnerReferences();
        if (owners != null && owners.stream().anyMatch(o -> Boolean.TRUE.equals(o.getController()))) {
            return owners.stream().anyMatch(o -> "Job".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()));
        }
        return pod.getSpec() != null && "Never".equals(pod.getSpec().getRestartPolicy());
    }
}
