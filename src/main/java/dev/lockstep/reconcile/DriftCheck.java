package dev.lockstep.reconcile;

import dev.lockstep.cluster.ClusterWriter;
import dev.lockstep.cluster.LiveCache;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.plan.Projection;
import dev.lockstep.util.Tree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per object, what the fields git speaks about looked like right after Lockstep applied them,
 * and compares the cached live object against that. No API request unless something drifted.
 */
final class DriftCheck implements dev.lockstep.plan.PriorApply {
    private final Map<ResourceKey, Expected> expected = new ConcurrentHashMap<>();
    private final ClusterWriter writer;
    private final LiveCache cache;

    DriftCheck(ClusterWriter writer, LiveCache cache) {
        this.writer = writer;
        this.cache = cache;
    }

    /** @param serverView the object as the server returned or predicted it after applying {@code body} */
    void remember(ResourceKey key, String apiVersion, Map<String, Object> body, Map<String, Object> serverView) {
        expected.put(key, new Expected(apiVersion, body, Projection.project(serverView, body)));
    }

    void forgetAllBut(java.util.Set<ResourceKey> keep) {
        expected.keySet().retainAll(keep);
    }

    boolean knows() {
        return !expected.isEmpty();
    }

    @Override
    public boolean unchanged(ResourceKey key, Map<String, Object> body, Map<String, Object> live) {
        Expected exp = expected.get(key);
        return exp != null && !cache.isStale(key) && Tree.sameValue(exp.body(), body)
                && Tree.sameValue(Projection.project(live, body), exp.projection());
    }

    List<Drift> detect() {
        List<Drift> found = new ArrayList<>();
        expected.forEach((key, exp) -> {
            if (cache.isStale(key)) {
                return;
            }
            var live = cache.get(exp.apiVersion(), key);
            if (live.isEmpty()) {
                found.add(new Drift(key, "(object deleted)"));
                return;
            }
            Object now = Projection.project(live.get(), exp.body());
            Tree.firstDifference(exp.projection(), now).ifPresent(field -> found.add(new Drift(key, field)));
        });
        return found;
    }

    /** Puts git's version back: the exact body applied last time, commit annotations included. */
    void heal(Drift drift) {
        Expected exp = expected.get(drift.key());
        Map<String, Object> result = writer.apply(drift.key(), exp.body());
        cache.expectVersion(drift.key(), Tree.string(result, "metadata", "resourceVersion").orElse(null));
        remember(drift.key(), exp.apiVersion(), exp.body(), result);
    }

    record Expected(String apiVersion, Map<String, Object> body, Object projection) {
    }

    record Drift(ResourceKey key, String field) {
    }
}
