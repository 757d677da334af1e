package dev.lockstep.plan;

import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.cluster.ObjectApi;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.util.Tree;
import java.util.Map;

/** Puts git's version back on a drifted object: the exact body applied last time, commit annotations included. */
public final class DriftHealer {
    private final ObjectApi objects;
    private final LiveObjects live;

    public DriftHealer(ObjectApi objects, LiveObjects live) {
        this.objects = objects;
        this.live = live;
    }

    /** Re-applies the expectation's body; returns the expectation after that write. */
    public Expectation heal(ResourceKey key, Expectation expected) {
        Map<String, Object> result = objects.apply(key, expected.body());
        live.expectVersion(
                key, Tree.string(result, "metadata", "resourceVersion").orElse(null));
        return Expectation.of(expected.apiVersion(), expected.body(), result);
    }
}
