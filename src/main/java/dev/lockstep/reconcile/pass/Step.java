package dev.lockstep.reconcile.pass;

/**
 * One small part of a pass. A step reads the pass, may call git or the cluster, and returns what comes next as a value;
 * it never sleeps, and it throws only for a bug (a {@link dev.lockstep.cluster.ClusterException} counts as a value: the
 * runner turns it into {@link StepResult.Retry}).
 */
@FunctionalInterface
interface Step {
    StepResult run(Pass pass);
}
