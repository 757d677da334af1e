package dev.lockstep.plan;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.lockstep.manifest.YamlRendering;
import dev.lockstep.util.Tree;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A unified diff of one object, live against what the server predicts after the apply, in YAML like
 * {@code kubectl diff}. Secret values are masked on both sides; a changed value still shows as changed.
 */
public final class ObjectDiff {
    static final String MASK = "***";
    static final String MASK_CHANGED = "*** (changed)";

    private ObjectDiff() {}

    public static String unified(String label, Map<String, Object> live, Map<String, Object> desired) {
        Map<String, Object> before = live == null ? null : clean(live);
        Map<String, Object> after = clean(desired);
        if ("Secret".equals(after.get("kind"))) {
            maskSecrets(before, after);
        }
        List<String> a = before == null ? List.of() : YamlRendering.lines(before);
        List<String> b = YamlRendering.lines(after);
        var patch = DiffUtils.diff(a, b);
        if (patch.getDeltas().isEmpty()) {
            return "";
        }
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(
                before == null ? "/dev/null" : "live/" + label, "git/" + label, a, patch, 3);
        return String.join("\n", lines) + "\n";
    }

    private static Map<String, Object> clean(Map<String, Object> object) {
        Map<String, Object> copy = LiveComparison.withoutNoise(object);
        Map<String, Object> metadata = Tree.ensureMap(copy, "metadata");
        metadata.remove("uid");
        metadata.remove("creationTimestamp");
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static void maskSecrets(Map<String, Object> before, Map<String, Object> after) {
        for (String field : List.of("data", "stringData")) {
            Map<String, Object> old = before == null ? Map.of() : Tree.map(before, field);
            Object now = after.get(field);
            if (now instanceof Map<?, ?> m) {
                Map<String, Object> masked = new LinkedHashMap<>();
                ((Map<String, Object>) m)
                        .forEach((k, v) -> masked.put(k, Objects.equals(old.get(k), v) ? MASK : MASK_CHANGED));
                after.put(field, masked);
            }
            if (before != null && before.get(field) instanceof Map<?, ?> m) {
                Map<String, Object> masked = new LinkedHashMap<>();
                ((Map<String, Object>) m).keySet().forEach(k -> masked.put(k, MASK));
                before.put(field, masked);
            }
        }
    }
}
