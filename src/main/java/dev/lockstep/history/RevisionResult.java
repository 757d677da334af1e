package dev.lockstep.history;

/**
 * How a revision went, and the history's words for it, e.g. {@code ROLLED_BACK} "rolled back to 2 (c9d82c0),
 * automatic: rollout of 3333333 failed". The words are what {@code lockstep history} and the page show.
 */
public record RevisionResult(Outcome outcome, String words) {
    static final RevisionResult UNKNOWN = new RevisionResult(Outcome.UNKNOWN, "-");

    static RevisionResult recorded(String words) {
        return new RevisionResult(Outcome.ofRecorded(words), words);
    }
}
