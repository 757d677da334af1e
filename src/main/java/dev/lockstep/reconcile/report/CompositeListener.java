package dev.lockstep.reconcile.report;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.WriteBack;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.rollout.RolloutStatus;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class CompositeListener implements ReconcileListener {
    private static final Logger log = LoggerFactory.getLogger(CompositeListener.class);
    private final List<ReconcileListener> listeners;

    CompositeListener(List<ReconcileListener> listeners) {
        this.listeners = listeners;
    }

    private void each(Consumer<ReconcileListener> call) {
        for (ReconcileListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.warn(
                        "listener {} failed: {}",
                        l.getClass().getSimpleName(),
                        e.getMessage(),
                        e); // a listener bug: keep its stack
            }
        }
    }

    @Override
    public void passFinished(String app, PassOutcome outcome, Duration took) {
        each(l -> l.passFinished(app, outcome, took));
    }

    @Override
    public void applied(String app, ResourceKey key, String apiVersion, Revision commit, boolean created) {
        each(l -> l.applied(app, key, apiVersion, commit, created));
    }

    @Override
    public void pruned(String app, ResourceKey key, String apiVersion) {
        each(l -> l.pruned(app, key, apiVersion));
    }

    @Override
    public void pruneRefused(String app, String reason) {
        each(l -> l.pruneRefused(app, reason));
    }

    @Override
    public void pruneHeld(String app, String message) {
        each(l -> l.pruneHeld(app, message));
    }

    @Override
    public void rolloutFinished(String app, ResourceKey deployment, RolloutStatus status, Revision commit) {
        each(l -> l.rolloutFinished(app, deployment, status, commit));
    }

    @Override
    public void rolledBack(
            String app, ResourceKey deployment, long toRevision, long newRevision, Revision commit, boolean reused) {
        each(l -> l.rolledBack(app, deployment, toRevision, newRevision, commit, reused));
    }

    @Override
    public void drift(String app, ResourceKey key, String field, boolean corrected) {
        each(l -> l.drift(app, key, field, corrected));
    }

    @Override
    public void ownershipConflict(String app, ResourceKey key, String owner, String reason) {
        each(l -> l.ownershipConflict(app, key, owner, reason));
    }

    @Override
    public void writeBack(String app, WriteBack decision, String summary) {
        each(l -> l.writeBack(app, decision, summary));
    }

    @Override
    public void rendered(String app, String engine, Duration took) {
        each(l -> l.rendered(app, engine, took));
    }

    @Override
    public void gitError(String app, String message) {
        each(l -> l.gitError(app, message));
    }

    @Override
    public void rejected(String app, Revision commit, List<String> errors) {
        each(l -> l.rejected(app, commit, errors));
    }

    @Override
    public void commitRefused(String app, String check, String commit, String reason) {
        each(l -> l.commitRefused(app, check, commit, reason));
    }

    @Override
    public void writeForbidden(String app, Revision commit, List<String> reasons) {
        each(l -> l.writeForbidden(app, commit, reasons));
    }

    @Override
    public void commitApplied(String app, Revision commit) {
        each(l -> l.commitApplied(app, commit));
    }

    @Override
    public void statusChanged(String app, AppStatus status) {
        each(l -> l.statusChanged(app, status));
    }
}
