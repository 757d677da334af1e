package dev.lockstep.rollout;

import dev.lockstep.util.Tree;
import java.util.Map;

/**
 * A Job is done when the Job controller says so: a {@code Complete} condition (Healthy) or a {@code Failed} one, whose
 * reason and message are reported ({@code BackoffLimitExceeded}, {@code DeadlineExceeded} for
 * {@code activeDeadlineSeconds}). Until then it is progressing. ({@code kubectl rollout status} has no viewer for
 * Jobs; these are the controller's own conditions, as {@code kubectl wait --for=condition=complete} reads them.)
 */
public final class JobRollout {
    private JobRollout() {}

    public static RolloutStatus evaluate(Map<String, Object> job) {
        String name = Tree.string(job, "metadata", "name").orElse("?");
        for (Map<String, Object> c : Tree.maps(job, "status", "conditions")) {
            if (!"True".equals(c.get("status"))) {
                continue;
            }
            if ("Complete".equals(c.get("type"))) {
                long succeeded = Tree.number(job, "status", "succeeded").orElse(0L);
                return new RolloutStatus(
                        RolloutState.HEALTHY, "job \"" + name + "\" completed (" + succeeded + " succeeded)", 0);
            }
            if ("Failed".equals(c.get("type"))) {
                String reason = String.valueOf(c.getOrDefault("reason", "Failed"));
                String message = String.valueOf(c.getOrDefault("message", ""));
                return new RolloutStatus(
                        RolloutState.FAILED,
                        "job \"" + name + "\" failed: " + reason + (message.isEmpty() ? "" : ": " + message),
                        0);
            }
        }
        long active = Tree.number(job, "status", "active").orElse(0L);
        long succeeded = Tree.number(job, "status", "succeeded").orElse(0L);
        long failed = Tree.number(job, "status", "failed").orElse(0L);
        long completions = Tree.number(job, "spec", "completions").orElse(1L);
        return new RolloutStatus(
                RolloutState.PROGRESSING,
                "Waiting for job \"" + name + "\" to complete: " + succeeded + " of " + completions + " succeeded, "
                        + active + " active, " + failed + " failed...",
                0);
    }
}
