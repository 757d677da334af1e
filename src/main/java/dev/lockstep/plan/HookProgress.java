package dev.lockstep.plan;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.util.Tree;
import java.util.Map;

/**
 * How far a Helm hook that must run to its end has got, read from its live status: a Job by its controller's
 * conditions ({@code Complete}, {@code Failed}) or its succeeded count, a Pod by its phase. Only Jobs and Pods are
 * waited for; any other hook kind is done once applied.
 */
record HookProgress(State state, String detail) {
    enum State {
        RUNNING,
        SUCCEEDED,
        FAILED
    }

    /** Whether a hook of this kind runs to an end that the next stage waits for. */
    static boolean runsToEnd(ResourceKey key) {
        return (key.group().equals("batch") && key.kind().equals("Job"))
                || (key.group().isEmpty() && key.kind().equals("Pod"));
    }

    /**
     * A Helm hook Job or Pod is a run, not a state to keep: drift detection leaves it alone (as Argo CD leaves hooks
     * out of its sync status). Otherwise self-heal would re-create a Job a TTL removed, running it again, or try to put
     * back the template of a Job a stalled commit's hook stage created anew, which the server refuses.
     */
    static boolean isHookRun(ResourceKey key, Map<String, Object> body) {
        return runsToEnd(key)
                && Tree.string(body, "metadata", "annotations", "helm.sh/hook").isPresent();
    }

    static HookProgress of(ResourceKey key, Map<String, Object> live) {
        return key.kind().equals("Job") ? ofJob(live) : ofPod(live);
    }

    private static HookProgress ofJob(Map<String, Object> job) {
        for (Map<String, Object> c : Tree.maps(job, "status", "conditions")) {
            if (!"True".equals(c.get("status"))) {
                continue;
            }
            if ("Failed".equals(c.get("type"))) {
                return new HookProgress(State.FAILED, reason(c.get("reason"), c.get("message"), "Failed"));
            }
            if ("Complete".equals(c.get("type"))) {
                return new HookProgress(State.SUCCEEDED, "complete");
            }
        }
        long succeeded = Tree.number(job, "status", "succeeded").orElse(0L);
        long completions = Tree.number(job, "spec", "completions").orElse(1L);
        if (succeeded >= Math.max(1L, completions)) {
            return new HookProgress(State.SUCCEEDED, succeeded + " succeeded");
        }
        return new HookProgress(
                State.RUNNING,
                succeeded + " of " + completions + " succeeded, "
                        + Tree.number(job, "status", "active").orElse(0L) + " active, "
                        + Tree.number(job, "status", "failed").orElse(0L) + " failed");
    }

    private static HookProgress ofPod(Map<String, Object> pod) {
        String phase = Tree.string(pod, "status", "phase").orElse("Pending");
        return switch (phase) {
            case "Succeeded" -> new HookProgress(State.SUCCEEDED, "succeeded");
            case "Failed" -> new HookProgress(State.FAILED, podFailure(pod));
            default -> new HookProgress(State.RUNNING, "phase " + phase);
        };
    }

    /** The pod's own reason, else the first terminated container's ({@code Error}, exit code). */
    private static String podFailure(Map<String, Object> pod) {
        if (Tree.string(pod, "status", "reason").isPresent()) {
            return reason(
                    Tree.string(pod, "status", "reason").get(),
                    Tree.string(pod, "status", "message").orElse(""),
                    "Failed");
        }
        for (Map<String, Object> container : Tree.maps(pod, "status", "containerStatuses")) {
            Map<String, Object> terminated = Tree.map(container, "state", "terminated");
            if (!terminated.isEmpty()) {
                return reason(terminated.get("reason"), "", "Failed") + " (container " + container.get("name")
                        + " exited " + terminated.getOrDefault("exitCode", "?") + ")";
            }
        }
        return "Failed";
    }

    private static String reason(Object reason, Object message, String fallback) {
        String r = reason == null || String.valueOf(reason).isBlank() ? fallback : String.valueOf(reason);
        String m = message == null ? "" : String.valueOf(message);
        return m.isBlank() ? r : r + ": " + m;
    }
}
