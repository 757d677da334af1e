package dev.lockstep.plan;

import dev.lockstep.cluster.ControllerRevisions;
import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.cluster.ObjectApi;
import dev.lockstep.cluster.ReplicaSetLister;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.Revision;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;

/** A {@link Planner} with the defaults a test does not care about: nothing applied before, default field adoption. */
record TestPlanner(Planner planner) {

    /** For Deployments only: a StatefulSet's or DaemonSet's rollback is then not recognised. */
    static TestPlanner deploymentsOnly(
            ObjectApi objects, LiveObjects cache, ReplicaSetLister replicaSets, Executor pool, Clock clock) {
        return new TestPlanner(new Planner(objects, cache, replicaSets, ControllerRevisions.NONE, pool, clock));
    }

    PlanResult plan(String app, Revision commit, List<Manifest> manifests, List<InventoryEntry> inventory) {
        return plan(app, commit, manifests, inventory, PriorApply.NONE);
    }

    PlanResult plan(
            String app, Revision commit, List<Manifest> manifests, List<InventoryEntry> inventory, PriorApply prior) {
        return planner.plan(app, commit, manifests, inventory, prior, FieldAdoption.DEFAULT);
    }
}
