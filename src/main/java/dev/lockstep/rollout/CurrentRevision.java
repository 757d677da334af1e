package dev.lockstep.rollout;

import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.util.Tree;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which ControllerRevision a StatefulSet or DaemonSet is at: the StatefulSet names it, a DaemonSet's is the highest. */
public final class CurrentRevision {
    private CurrentRevision() {}

    public static Optional<ControllerRevisionInfo> of(Map<String, Object> object, List<ControllerRevisionInfo> owned) {
        Optional<String> update = Tree.string(object, "status", "updateRevision");
        if (update.isPresent()) {
            return owned.stream().filter(cr -> cr.name().equals(update.get())).findFirst();
        }
        return owned.stream().reduce((a, b) -> b.revision() >= a.revision() ? b : a);
    }
}
