package dev.lockstep.model;

import java.time.Instant;

/**
 * A decision Lockstep made about writing to git, kept in the app's record so that no daemon (restarted, replaced, or a
 * second replica) ever decides the same thing twice.
 *
 * @param action  what it was for, e.g. {@link #REVERT_FAILED_ROLLOUT}
 * @param target  the commit it was about (the failed commit; the commit that made the ReplicaSet rolled back to)
 * @param pushed  the commit Lockstep pushed, "" when it pushed nothing
 * @param outcome in words: "pushed", or why nothing was pushed
 */
public record WriteBack(String action, String target, String pushed, String outcome, Instant at) {
    public static final String REVERT_FAILED_ROLLOUT = "revert-failed-rollout";
    public static final String RECORD_MANUAL_ROLLBACK = "record-manual-rollback";

    public boolean wasPushed() {
        return !pushed.isEmpty();
    }
}
