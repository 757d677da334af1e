package dev.lockstep.model;

import java.util.Optional;

/**
 * A Deployment's pod template is about to change. When the new template equals an existing ReplicaSet's,
 * the Deployment controller will reuse that ReplicaSet: this is a rollback, and {@code reuses} names it.
 */
public record TemplateChange(Optional<ReusedReplicaSet> reuses) {
    public boolean rollback() {
        return reuses.isPresent();
    }

    /** The ReplicaSet whose template the commit brings back, its revision and the commit that first made it. */
    public record ReusedReplicaSet(String name, long revision, String originalCommit) {}
}
