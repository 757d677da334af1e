package dev.lockstep.reconcile.report;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.WriteBack;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.rollout.RolloutStatus;
import java.time.Duration;
import java.util.List;

/**
 * What happened during reconciliation, for metrics, Kubernetes Events and logs. Every method has a no-op
 * default so each observer implements only what it reports.
 */
public interface ReconcileListener {
    ReconcileListener NONE = new ReconcileListener() {};

    default void passFinished(String app, PassOutcome outcome, Duration took) {}

    /** An engine rendered a new commit's path (not called when an earlier render of the same inputs was reused). */
    default void rendered(String app, String engine, Duration took) {}

    default void applied(String app, ResourceKey key, String apiVersion, Revision commit, boolean created) {}

    default void pruned(String app, ResourceKey key, String apiVersion) {}

    default void pruneRefused(String app, String reason) {}

    /** Objects whose prune was refused earlier are still held, waiting for a person to confirm. */
    default void pruneHeld(String app, String message) {}

    default void rolloutFinished(String app, ResourceKey deployment, RolloutStatus status, Revision commit) {}

    /** A commit brought back an older pod template and the controller reused that revision's ReplicaSet. */
    default void rolledBack(
            String app, ResourceKey deployment, long toRevision, long newRevision, Revision commit, boolean reused) {}

    default void drift(String app, ResourceKey key, String field, boolean corrected) {}

    /**
     * An object of this app now carries another app's owner label: it is left alone, never healed (one owner per
     * object). Told once per conflict, not on every pass while it lasts.
     */
    default void ownershipConflict(String app, ResourceKey key, String owner, String reason) {}

    default void gitError(String app, String message) {}

    /**
     * Lockstep decided about writing to git: {@code decision.pushed()} names the commit it pushed, otherwise
     * {@code summary} says why it pushed nothing.
     */
    default void writeBack(String app, WriteBack decision, String summary) {}

    default void rejected(String app, Revision commit, List<String> errors) {}

    /**
     * A trust check refused a commit: nothing of it was applied.
     *
     * @param check  {@code signature} (not signed by a trusted key) or {@code history} (a history rewrite)
     * @param commit the full id of the commit that failed
     */
    default void commitRefused(String app, String check, String commit, String reason) {}

    /**
     * The API server forbade a write of the commit (RBAC), so nothing of it was written; {@link #rejected} follows.
     * {@code reasons} name the account, the verb and the object.
     */
    default void writeForbidden(String app, Revision commit, List<String> reasons) {}

    default void commitApplied(String app, Revision commit) {}

    /**
     * The app's status changed: health, commit, message, errors or a Deployment's rollout (not merely the time it was
     * computed). For live views; called after a pass or a rollout refresh, never while a pass runs.
     */
    default void statusChanged(String app, AppStatus status) {}

    /** Fans one event out to several listeners; one failing listener does not stop the others. */
    static ReconcileListener all(List<ReconcileListener> listeners) {
        return new CompositeListener(List.copyOf(listeners));
    }
}
