package dev.lockstep.writeback;

/** A commit that brings a Deployment back to an older template: made (not pushed yet), not needed, or impossible. */
public sealed interface RollbackCommit {
    /** @param commit in the git cache, not pushed yet; {@code base} the head it was made on */
    record Ready(String commit, String base, String message) implements RollbackCommit {}

    /** Git already says what the cluster runs. */
    record Unneeded(String why) implements RollbackCommit {}

    /** No such commit can be made (the target is not in the branch's history, the manifest is gone). */
    record Impossible(String why) implements RollbackCommit {}
}
