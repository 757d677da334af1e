package dev.lockstep.plan;

import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.util.Tree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compares the watch cache with what Lockstep applied last. Costs no API request: a pass with nothing new is a
 * cache read per object. Fields a taken-over manager holds again (someone ran a client-side {@code kubectl apply}, which
 * may add fields git does not have) are drift too, even where git's own fields still match. A Helm hook Job or Pod is
 * never drift ({@link HookProgress#isHookRun}).
 */
public final class DriftDetector {
    private final LiveObjects live;
    private final FieldAdoption adoption;
    /**
     * Per object, the expectation and the live resourceVersion of its last check that found no drift. Any write to an
     * object changes its resourceVersion, so the same version against the same expectation cannot have drifted: the
     * steady state then parses no object at all (at 10,000 objects every pass parsed all of them).
     */
    private final Map<ResourceKey, Clean> clean = new ConcurrentHashMap<>();

    private record Clean(Expectation expectation, String resourceVersion) {}

    public DriftDetector(LiveObjects live) {
        this(live, FieldAdoption.DEFAULT);
    }

    /** @param adoption whose fields count as drift: a client-side {@code kubectl apply} after Lockstep's own */
    public DriftDetector(LiveObjects live, FieldAdoption adoption) {
        this.live = live;
        this.adoption = adoption;
    }

    /**
     * Every object whose live projection differs from its expectation, first differing field each; an object whose
     * owner label names another app is reported as {@link Drift#taken}, whatever else differs.
     */
    public List<Drift> detect(Map<ResourceKey, Expectation> expected) {
        List<Drift> found = new ArrayList<>();
        clean.keySet().retainAll(expected.keySet());
        expected.forEach((key, exp) -> {
            if (live.isStale(key)) {
                return; // our own write has not come back through the watch yet
            }
            if (HookProgress.isHookRun(key, exp.body())) {
                return;
            }
            Optional<String> version = live.resourceVersion(exp.apiVersion(), key);
            Clean last = clean.get(key);
            if (last != null
                    && last.expectation() == exp
                    && version.isPresent()
                    && version.get().equals(last.resourceVersion())) {
                return; // unchanged since a check found it in sync
            }
            var now = live.get(exp.apiVersion(), key);
            if (now.isEmpty()) {
                clean.remove(key);
                found.add(new Drift(key, Drift.DELETED));
                return;
            }
            Optional<String> owner = Tree.string(now.get(), "metadata", "labels", MetadataKeys.APP);
            if (owner.isPresent() && !owner.equals(Tree.string(exp.body(), "metadata", "labels", MetadataKeys.APP))) {
                clean.remove(key);
                found.add(Drift.taken(key, owner.get())); // another app wrote it: theirs to keep, not ours to restore
                return;
            }
            Optional<String> field = firstDifference(exp.projection(), Projection.project(now.get(), exp.body()))
                    .or(() -> adoption.holders(now.get(), exp.body())
                            .map(managers -> "(fields held by " + managers + ")"));
            field.ifPresentOrElse(
                    f -> {
                        clean.remove(key);
                        found.add(new Drift(key, f));
                    },
                    () -> Tree.string(now.get(), "metadata", "resourceVersion")
                            .ifPresent(rv -> clean.put(key, new Clean(exp, rv))));
        });
        return found;
    }

    /**
     * Objects whose body did not change since this process applied it, and whose live state still matches the server's
     * answer then: their dry run would only repeat that answer, so the planner may skip it.
     */
    public PriorApply priorApply(Map<ResourceKey, Expectation> expected) {
        return priorApply(expected, Map.of());
    }

    /**
     * As {@link #priorApply(Map)}, and for objects this process did not apply itself (a restart, a new leader, the
     * CLI), the fingerprints kept in the app's record: the body and the live projection must digest to the same value.
     */
    public PriorApply priorApply(Map<ResourceKey, Expectation> expected, Map<ResourceKey, String> fingerprints) {
        return (key, body, liveObject) -> {
            if (live.isStale(key)) {
                return false;
            }
            Expectation exp = expected.get(key);
            if (exp != null) {
                return Tree.sameValue(exp.body(), body)
                        && Tree.sameValue(Projection.project(liveObject, body), exp.projection());
            }
            String kept = fingerprints.get(key);
            return kept != null && kept.equals(Fingerprint.of(body, Projection.project(liveObject, body)));
        };
    }

    /**
     * The pod template first: a change there is what matters (a rollout, a rollback), even when an annotation earlier in
     * the object changed too, as it does with {@code kubectl rollout undo}.
     */
    private static Optional<String> firstDifference(Object expected, Object now) {
        Optional<String> inTemplate = Tree.firstDifference(template(expected), template(now))
                .map(path -> path.equals("(object)") ? "spec.template" : "spec.template." + path);
        return inTemplate.isPresent() ? inTemplate : Tree.firstDifference(expected, now);
    }

    private static Object template(Object projection) {
        return projection instanceof Map<?, ?> m && m.get("spec") instanceof Map<?, ?> spec
                ? spec.get("template")
                : null;
    }
}
