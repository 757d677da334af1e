package dev.lockstep.history;

/** How a revision's rollout ended, or where it stands. */
public enum Outcome {
    /** The controller rolled it out (with a note when it made a new ReplicaSet instead of reusing one). */
    ROLLED_OUT,
    FAILED,
    /** The current revision, still rolling out. */
    PROGRESSING,
    /** A commit (a git revert, or Lockstep's own revert of a failed rollout) brought back an earlier revision. */
    ROLLED_BACK,
    /** Someone ran {@code kubectl rollout undo}; Lockstep recorded it as a commit. */
    ROLLED_BACK_BY_HAND,
    /** A newer commit replaced it before its rollout ended. */
    SUPERSEDED,
    /** Nothing known: an old revision with no recorded entry, or one Lockstep did not make. */
    UNKNOWN;

    /**
     * The outcome of an entry of the app's record, which keeps the history's words ("rolled out", "failed",
     * "rolled back to 2, automatic: ...", "rolled back by hand to ...", "superseded by 1a2b3c4"): read back once here.
     */
    static Outcome ofRecorded(String words) {
        if (words.startsWith("rolled out")) {
            return ROLLED_OUT;
        }
        if (words.startsWith("failed")) {
            return FAILED;
        }
        if (words.startsWith("progressing")) {
            return PROGRESSING;
        }
        if (words.startsWith("rolled back by hand")) {
            return ROLLED_BACK_BY_HAND;
        }
        if (words.startsWith("rolled back")) {
            return ROLLED_BACK;
        }
        if (words.startsWith("superseded")) {
            return SUPERSEDED;
        }
        return UNKNOWN;
    }
}
