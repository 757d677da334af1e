package dev.lockstep.reconcile.report;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The daemon's log lines for what users act on: rollouts ending, rollbacks, prunes. */
public final class LoggingListener implements ReconcileListener {
    private static final Logger log = LoggerFactory.getLogger("dev.lockstep.events");

    @Override
    public void rolloutFinished(String app, ResourceKey deployment, RolloutStatus status, Revision commit) {
        try (MDC.MDCCloseable workload = MDC.putCloseable("workload", deployment.toString());
                MDC.MDCCloseable revision = MDC.putCloseable("revision", Long.toString(status.revision()))) {
            logRollout(app, deployment, status, commit);
        }
    }

    private static void logRollout(String app, ResourceKey deployment, RolloutStatus status, Revision commit) {
        if (status.state() == RolloutState.FAILED) {
            log.warn(
                    "app {}: {} revision {} (commit {}) failed: {}",
                    app,
                    deployment,
                    status.revision(),
                    commit.shortSha(),
                    status.message());
        } else {
            log.info(
                    "app {}: {} revision {} (commit {}): {}",
                    app,
                    deployment,
                    status.revision(),
                    commit.shortSha(),
                    status.message());
        }
    }

    @Override
    public void rolledBack(
            String app, ResourceKey deployment, long toRevision, long newRevision, Revision commit, boolean reused) {
        log.info(
                "app {}: {} rolled back to revision {} by commit {} \"{}\": now revision {}, {}",
                app,
                deployment,
                toRevision,
                commit.shortSha(),
                commit.subject(),
                newRevision,
                reused
                        ? "its " + revisionKind(deployment) + " was reused"
                        : "the controller made a new " + revisionKind(deployment) + " instead of reusing it");
    }

    /** What holds a workload's revisions: a Deployment's ReplicaSet, a StatefulSet's or DaemonSet's ControllerRevision. */
    private static String revisionKind(ResourceKey workload) {
        return workload.kind().equals("Deployment") ? "ReplicaSet" : "ControllerRevision";
    }

    @Override
    public void pruned(String app, ResourceKey key, String apiVersion) {
        log.info("app {}: pruned {} (removed from git)", app, key);
    }

    @Override
    public void pruneHeld(String app, String message) {
        log.warn("app {}: {}", app, message);
    }

    @Override
    public void commitRefused(String app, String check, String commit, String reason) {
        log.warn("app {}: commit {} refused ({} check): {}", app, commit, check, reason);
    }

    @Override
    public void pruneRefused(String app, String reason) {
        log.warn("app {}: prune refused: {}", app, reason);
    }
}
