package dev.lockstep.history;

import dev.lockstep.cluster.ObjectReader;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.util.Tree;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state of every object of an app that Lockstep judges (Deployments, StatefulSets, DaemonSets, Jobs,
 * PersistentVolumeClaims, LoadBalancer Services), as the cluster has it now and the app's record tells
 * ({@link JudgedState}, as the daemon's status judges it). Other kinds are not read at all.
 */
public final class ObjectStates {
    private final ObjectReader objects;

    public ObjectStates(ObjectReader objects) {
        this.objects = objects;
    }

    /** In inventory order; a Service that is not a LoadBalancer is left out, a missing object is kept as missing. */
    public List<ObjectState> of(AppRecord record) {
        List<ObjectState> out = new ArrayList<>();
        for (InventoryEntry e : record.inventory()) {
            if (!ObjectReadiness.mayJudge(e.key())) {
                continue;
            }
            var live = objects.get(e.apiVersion(), e.key());
            if (live.isEmpty()) {
                out.add(new ObjectState(e.key(), Optional.empty()));
                continue;
            }
            ObjectReadiness.of(e.key(), live.get())
                    .map(s -> JudgedState.of(e.key(), live.get(), s, record.history()))
                    .ifPresent(s -> out.add(new ObjectState(
                            e.key(),
                            Optional.of(s),
                            String.valueOf(Tree.map(live.get(), "metadata", "annotations")
                                    .getOrDefault(MetadataKeys.RENDERED_BY, "")))));
        }
        return out;
    }
}
