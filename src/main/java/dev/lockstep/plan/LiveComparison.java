package dev.lockstep.plan;

import dev.lockstep.util.Tree;
import java.util.List;
import java.util.Map;

/** Decides whether the server's prediction for an object differs from what is live, ignoring bookkeeping fields. */
public final class LiveComparison {
    private static final List<String> NOISE = List.of("managedFields", "resourceVersion", "generation");

    private LiveComparison() {}

    public static boolean same(Map<String, Object> predicted, Map<String, Object> live) {
        return Tree.sameValue(withoutNoise(predicted), withoutNoise(live));
    }

    public static boolean sameTemplate(Map<String, Object> a, Map<String, Object> b) {
        return Tree.sameValue(Tree.map(a, "spec", "template"), Tree.map(b, "spec", "template"));
    }

    /** A mutable copy without status and the metadata the server keeps for its own bookkeeping. */
    static Map<String, Object> withoutNoise(Map<String, Object> object) {
        Map<String, Object> copy = Tree.deepCopy(object);
        copy.remove("status");
        Map<String, Object> metadata = Tree.ensureMap(copy, "metadata");
        NOISE.forEach(metadata::remove);
        return copy;
    }
}
