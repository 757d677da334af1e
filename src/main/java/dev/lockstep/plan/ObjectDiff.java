package dev.lockstep.plan;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.lockstep.manifest.YamlRendering;
import dev.lockstep.model.SecretMask;
import dev.lockstep.util.Tree;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A unified diff of one object, live against what the server predicts after the apply, in YAML like
 * {@code kubectl diff}. Both sides go through {@link SecretMask}: a changed Secret value or embedding annotation
 * still shows as changed, never with its content.
 */
public final class ObjectDiff {
    private ObjectDiff() {}

    public static String unified(String label, Map<String, Object> live, Map<String, Object> desired) {
        return unified(label, live, desired, Set.of());
    }

    /** @param secretValues values that were encrypted in git: hidden on both sides, wherever they are */
    public static String unified(
            String label, Map<String, Object> live, Map<String, Object> desired, Set<String> secretValues) {
        SecretMask.Pair masked = SecretMask.pair(live == null ? null : clean(live), clean(desired), secretValues);
        Map<String, Object> before = masked.before();
        Map<String, Object> after = masked.after();
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
}
