package dev.lockstep.writeback;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;

/**
 * A Deployment (or StatefulSet, DaemonSet, Job) whose rollout of {@code commit} failed, waiting for the decision whether to revert it.
 *
 * @param message the controller's words, e.g. {@code deployment "hello-app" exceeded its progress deadline}
 */
public record FailedRollout(Revision commit, ResourceKey deployment, long revision, String message) {
    /** The reason as the revert's trailer and the app's status give it. */
    public String reason() {
        return "rollout of " + commit.shortSha() + " failed: " + deployment.kind() + " " + deployment.namespace() + "/"
                + deployment.name() + " revision " + revision + ": " + message;
    }
}
