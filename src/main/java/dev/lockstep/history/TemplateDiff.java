package dev.lockstep.history;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.lockstep.manifest.YamlRendering;
import java.util.List;
import java.util.Map;

/**
 * A past revision's pod template against another one (the current), as a unified diff of YAML like {@code kubectl
 * diff}. Templates are those of the ReplicaSets ({@link dev.lockstep.model.ReplicaSetInfo#template()}, without
 * {@code pod-template-hash}), so two revisions of one template show no difference.
 */
public final class TemplateDiff {
    private static final int CONTEXT = 3;

    private TemplateDiff() {}

    /** The unified diff from {@code before} to {@code after}; "" when they are the same. */
    public static String unified(
            String beforeLabel, Map<String, Object> before, String afterLabel, Map<String, Object> after) {
        List<String> a = YamlRendering.lines(before);
        List<String> b = YamlRendering.lines(after);
        var patch = DiffUtils.diff(a, b);
        if (patch.getDeltas().isEmpty()) {
            return "";
        }
        return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(beforeLabel, afterLabel, a, patch, CONTEXT))
                + "\n";
    }
}
