package dev.lockstep.model;

/** Label and annotation keys Lockstep writes or reads. Never {@code deployment.kubernetes.io/*}: those are the controller's. */
public final class MetadataKeys {
    /**
     * Lockstep's name wherever the cluster records who acted: label values, the field manager, the Event component.
     * Changing it orphans every object and field Lockstep owns.
     */
    public static final String LOCKSTEP = "lockstep";

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = LOCKSTEP;
    /** On the objects Lockstep keeps for itself (the state namespace, the app records), valued {@link #LOCKSTEP}. */
    public static final String PART_OF = "app.kubernetes.io/part-of";

    /** The server-side apply field manager of every write Lockstep makes. */
    public static final String FIELD_MANAGER = LOCKSTEP;

    public static final String APP = "lockstep.dev/app";

    /** {@code lockstep.dev/prune: disabled} keeps an object when it leaves git. */
    public static final String PRUNE = "lockstep.dev/prune";

    public static final String PRUNE_DISABLED = "disabled";

    public static final String CHANGE_CAUSE = "kubernetes.io/change-cause";
    public static final String COMMIT = "lockstep.dev/commit";
    public static final String COMMIT_SUBJECT = "lockstep.dev/commit-subject";
    public static final String COMMIT_AUTHOR = "lockstep.dev/commit-author";
    public static final String COMMIT_TIME = "lockstep.dev/commit-time";
    public static final String APPLIED_AT = "lockstep.dev/applied-at";
    /** Set when a commit brought back an older template: the commit that first made it, and its revision. */
    public static final String ROLLBACK_OF = "lockstep.dev/rollback-of";

    public static final String ROLLBACK_REVISION = "lockstep.dev/rollback-to-revision";

    /** The render engine that made a revision's objects from its commit, e.g. {@code kustomize v5.5.0}. */
    public static final String RENDERED_BY = "lockstep.dev/rendered-by";

    /** Keys Lockstep owns on a workload's metadata (and a ControllerRevision's), naming the commit behind a revision. */
    public static final java.util.List<String> COMMIT_KEYS = java.util.List.of(
            CHANGE_CAUSE,
            COMMIT,
            COMMIT_SUBJECT,
            COMMIT_AUTHOR,
            COMMIT_TIME,
            APPLIED_AT,
            ROLLBACK_OF,
            ROLLBACK_REVISION,
            RENDERED_BY);

    /**
     * On a StatefulSet, DaemonSet or Job: how long a rollout followed by Lockstep may take before it is reported failed
     * (their controllers have no progress deadline of their own, unlike a Deployment's progressDeadlineSeconds).
     */
    public static final String PROGRESS_DEADLINE = "lockstep.dev/progress-deadline-seconds";

    /** The annotation on the app's record that confirms a {@link PruneHold}: its value must be the hold's token. */
    public static final String CONFIRM_PRUNE = "lockstep.dev/confirm-prune";

    /** On a sharding Lease: whether it is a replica's ("replica") or an app's ("app"). */
    public static final String SHARD_ROLE = "lockstep.dev/role";

    /** On an app's sharding Lease: the last pass another replica asked of its holder, as "{instant} by {replica}". */
    public static final String PASS_REQUESTED = "lockstep.dev/pass-requested";

    public static final String DEPLOYMENT_REVISION = "deployment.kubernetes.io/revision";
    public static final String DEPLOYMENT_REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    public static final String POD_TEMPLATE_HASH = "pod-template-hash";

    private MetadataKeys() {}
}
