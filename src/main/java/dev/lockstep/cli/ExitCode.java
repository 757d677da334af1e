package dev.lockstep.cli;

/** Exit codes of every command; docs/getting-started.md lists them. */
public final class ExitCode {
    /** Success: everything healthy / no problem found / no difference. */
    public static final int OK = 0;
    /**
     * A rollout failed or a pass crashed (sync), differences exist (diff), manifests are invalid (validate), an app is
     * not at its head or not healthy (status), the workload is not managed (history), or there is no such revision to go
     * back to (rollback).
     */
    public static final int FAILED = 1;
    /** Bad usage or an invalid configuration file. */
    public static final int USAGE = 2;
    /** The commit was refused (invalid manifest, policy, or the server rejected it): nothing was applied. */
    public static final int REJECTED = 3;
    /** Git or the cluster could not be reached; try again. */
    public static final int UNAVAILABLE = 4;
    /** Rollouts were still progressing when the timeout ran out. */
    public static final int TIMEOUT = 5;

    private ExitCode() {}
}
