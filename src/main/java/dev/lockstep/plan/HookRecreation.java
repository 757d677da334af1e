package dev.lockstep.plan;

import dev.lockstep.model.Manifest;
import java.util.Arrays;
import java.util.Map;

/**
 * Helm's {@code helm.sh/hook-delete-policy: before-hook-creation} (its default when a hook names no policy): a hook
 * object that already exists is deleted and created anew for each new commit, as Helm does on each upgrade. This is
 * what lets a Job hook run again with a new pod template, which the server would refuse to change in place.
 */
final class HookRecreation {
    private static final String HOOK = "helm.sh/hook";
    private static final String DELETE_POLICY = "helm.sh/hook-delete-policy";

    private HookRecreation() {}

    static boolean applies(Manifest manifest) {
        if (!(manifest.body().get("metadata") instanceof Map<?, ?> metadata)
                || !(metadata.get("annotations") instanceof Map<?, ?> annotations)
                || !(annotations.get(HOOK) instanceof String)) {
            return false;
        }
        return !(annotations.get(DELETE_POLICY) instanceof String policy)
                || Arrays.stream(policy.split(",")).map(String::strip).anyMatch("before-hook-creation"::equals);
    }
}
