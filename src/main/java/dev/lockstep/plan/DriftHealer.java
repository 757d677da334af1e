package dev.lockstep.plan;

import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.cluster.ObjectApi;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.util.Tree;
import java.time.Clock;
import java.util.Map;

/** Puts git's version back on a drifted object: the exact body applied last time, commit annotations included. */
public final class DriftHealer {
    private final ObjectApi objects;
    private final LiveObjects live;
    private final FieldAdoption adoption;
    private final Clock clock;

    public DriftHealer(ObjectApi objects, LiveObjects live) {
        this(objects, live, FieldAdoption.DEFAULT, Clock.systemUTC());
    }

    /** @param adoption whose fields are taken over again before git's version goes back (see {@link FieldAdoption}) */
    public DriftHealer(ObjectApi objects, LiveObjects live, FieldAdoption adoption, Clock clock) {
        this.objects = objects;
        this.live = live;
        this.adoption = adoption;
        this.clock = clock;
    }

    /** Re-applies the expectation's body; returns the expectation after that write. */
    public Expectation heal(ResourceKey key, Expectation expected) {
        live.get(expected.apiVersion(), key)
                .flatMap(now -> adoption.takeover(now, expected.body(), objects.fieldManager(), clock.instant()))
                .ifPresent(t -> objects.replaceManagedFields(
                        key, expected.apiVersion(), t.resourceVersion(), t.managedFields()));
        Map<String, Object> result = objects.apply(key, expected.body());
        live.expectVersion(
                key, Tree.string(result, "metadata", "resourceVersion").orElse(null));
        return Expectation.of(expected.apiVersion(), expected.body(), result);
    }
}
