package dev.lockstep.config;

/** What Lockstep does when a Deployment's rollout of a commit fails ({@code ProgressDeadlineExceeded}). */
public enum OnFailedRollout {
    /** Report it (status, Event, metric, log); a person reverts. */
    REPORT,
    /** Push the revert of the failed commit, then apply it like any commit. Needs {@code writeBack}. */
    REVERT
}
