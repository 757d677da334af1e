package dev.lockstep.config;

/**
 * What Lockstep does when a live Deployment's pod template was set back to an older ReplicaSet's while git says
 * otherwise: what {@code kubectl rollout undo} leaves behind.
 */
public enum OnManualRollback {
    /** Put git's template back (self-heal), as for any drift. */
    HEAL,
    /** Push a commit that makes git say what the cluster now runs. Needs {@code writeBack}. */
    COMMIT,
    /** Leave the live state alone and report the drift. */
    REPORT
}
