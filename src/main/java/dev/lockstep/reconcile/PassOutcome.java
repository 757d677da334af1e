package dev.lockstep.reconcile;

/**
 * How one pass ended, which tells the loop when to come back: on the normal interval, sooner with backoff,
 * or not before a new commit.
 */
public enum PassOutcome {
    /** Nothing changed in git or the cluster. */
    UNCHANGED,
    /** A commit was applied (or drift corrected). */
    APPLIED,
    /** The commit cannot be applied as it is (bad manifest, refused by the server): wait for a new commit. */
    STALLED,
    /** Git or the cluster failed in a way that may pass: retry with backoff. */
    RETRY;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
