package dev.lockstep.reconcile.pass;

import java.util.Locale;

/**
 * How one pass ended, which tells the loop when to come back: on the normal interval, sooner with backoff, or not
 * before a new commit. {@link #label()} is the {@code result} label of {@code lockstep_reconcile_seconds}.
 */
public enum PassOutcome {
    /** Nothing changed in git or the cluster. */
    UNCHANGED,
    /** A commit was applied: objects written or pruned. */
    APPLIED,
    /** No new commit, but a managed object had drifted and git's version was put back. */
    HEALED,
    /** The commit cannot be applied as it is (bad manifest, refused by the server): wait for a new commit. */
    STALLED,
    /** Git or the cluster failed in a way that may pass: retry with backoff. */
    RETRY,
    /** A bug in Lockstep (an unexpected exception): logged with its stack, the app shows Error; retried with backoff. */
    ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the loop should come back sooner, with exponential backoff. */
    public boolean backsOff() {
        return this == RETRY || this == ERROR;
    }
}
