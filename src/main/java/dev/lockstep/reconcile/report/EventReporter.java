package dev.lockstep.reconcile.report;

import dev.lockstep.cluster.ConfigMapAppRecords;
import dev.lockstep.cluster.EventSink;
import dev.lockstep.cluster.KubeEvent;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.WriteBack;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns what a pass did into Kubernetes Events, so {@code kubectl describe} and {@code kubectl get events} show it next
 * to the controller's own events:
 *
 * <table>
 *   <caption>Events</caption>
 *   <tr><th>Reason</th><th>Type</th><th>On</th></tr>
 *   <tr><td>Applied</td><td>Normal</td><td>the object created or updated</td></tr>
 *   <tr><td>RolloutSucceeded</td><td>Normal</td><td>the Deployment</td></tr>
 *   <tr><td>RolloutFailed</td><td>Warning</td><td>the Deployment</td></tr>
 *   <tr><td>RolledBack</td><td>Normal</td><td>the Deployment</td></tr>
 *   <tr><td>DriftCorrected</td><td>Normal</td><td>the drifted object (self-heal on)</td></tr>
 *   <tr><td>DriftDetected</td><td>Warning</td><td>the drifted object (self-heal off)</td></tr>
 *   <tr><td>OwnershipConflict</td><td>Warning</td><td>an object of the app that another app's owner label now claims
 *       (left alone, never healed)</td></tr>
 *   <tr><td>WriteForbidden</td><td>Warning</td><td>the app's record ConfigMap: the API server forbade a write of a
 *       commit (the app's ServiceAccount's RBAC), so none of it was written</td></tr>
 *   <tr><td>PruneRefused</td><td>Warning</td><td>the app's record ConfigMap {@code lockstep-app-<app>} in the state
 *       namespace: a refusal is about the app, not one object, and that is the one object that always exists</td></tr>
 *   <tr><td>PruneHeld</td><td>Warning</td><td>the app's record ConfigMap: objects whose prune was refused before stay
 *       until a person confirms</td></tr>
 *   <tr><td>CommitNotVerified</td><td>Warning</td><td>the app's record ConfigMap: a commit not signed by a trusted
 *       key</td></tr>
 *   <tr><td>HistoryRewriteRefused</td><td>Warning</td><td>the app's record ConfigMap: a head that does not descend
 *       from the last applied commit</td></tr>
 *   <tr><td>CommitRejected</td><td>Warning</td><td>the app's record ConfigMap: a commit not applied (an invalid
 *       manifest, a chart's template error, a refused render, a failed Helm hook); once per commit</td></tr>
 * </table>
 *
 * Events on cluster-scoped objects go to namespace {@code default}, as the API server requires.
 */
public final class EventReporter implements ReconcileListener {
    private final EventSink sink;
    private final String stateNamespace;
    /** apiVersions seen in applies, for drift events whose callback carries only the key. */
    private final Map<ResourceKey, String> apiVersions = new ConcurrentHashMap<>();
    /** The commit whose rejection a WriteForbidden event already told, per app: not told twice. */
    private final Map<String, String> forbiddenCommit = new ConcurrentHashMap<>();

    /** @param stateNamespace where the app record ConfigMaps live (anchor of app-wide events) */
    public EventReporter(EventSink sink, String stateNamespace) {
        this.sink = sink;
        this.stateNamespace = stateNamespace;
    }

    @Override
    public void applied(String app, ResourceKey key, String apiVersion, Revision commit, boolean created) {
        apiVersions.put(key, apiVersion);
        sink.post(on(
                app,
                key,
                apiVersion,
                "Applied",
                KubeEvent.NORMAL,
                (created ? "created" : "updated") + " by commit " + describe(commit)));
    }

    @Override
    public void pruned(String app, ResourceKey key, String apiVersion) {
        apiVersions.remove(key);
    }

    @Override
    public void rolloutFinished(String app, ResourceKey deployment, RolloutStatus status, Revision commit) {
        if (status.state() == RolloutState.PROGRESSING) {
            return; // not finished: nothing to report yet
        }
        boolean ok = status.state() == RolloutState.HEALTHY;
        sink.post(on(
                app,
                deployment,
                "apps/v1",
                ok ? "RolloutSucceeded" : "RolloutFailed",
                ok ? KubeEvent.NORMAL : KubeEvent.WARNING,
                "commit " + describe(commit) + ": " + status.message() + " (revision " + status.revision() + ")"));
    }

    @Override
    public void rolledBack(
            String app, ResourceKey deployment, long toRevision, long newRevision, Revision commit, boolean reused) {
        String message = reused
                ? "rolled back to revision " + toRevision + " (now revision " + newRevision + ") by commit "
                        + describe(commit)
                : "rolled back to the pod template of revision " + toRevision + " by commit " + describe(commit)
                        + ", but its ReplicaSet was gone (revisionHistoryLimit): a new ReplicaSet was made (now revision "
                        + newRevision + ")";
        sink.post(on(app, deployment, "apps/v1", "RolledBack", KubeEvent.NORMAL, message));
    }

    @Override
    public void drift(String app, ResourceKey key, String field, boolean corrected) {
        String apiVersion = apiVersions.getOrDefault(key, guessApiVersion(key));
        sink.post(
                corrected
                        ? on(
                                app,
                                key,
                                apiVersion,
                                "DriftCorrected",
                                KubeEvent.NORMAL,
                                "field " + field + " differed from git: restored git's version")
                        : on(
                                app,
                                key,
                                apiVersion,
                                "DriftDetected",
                                KubeEvent.WARNING,
                                "field " + field + " differs from git (selfHeal is off: not corrected)"));
    }

    @Override
    public void ownershipConflict(String app, ResourceKey key, String owner, String reason) {
        sink.post(on(
                app,
                key,
                apiVersions.getOrDefault(key, guessApiVersion(key)),
                "OwnershipConflict",
                KubeEvent.WARNING,
                reason));
    }

    /** One Event per commit, on the app's record: its message names the account, the verb and the object. */
    @Override
    public void writeForbidden(String app, Revision commit, List<String> reasons) {
        forbiddenCommit.put(app, commit.commit());
        sink.post(onRecord(app, "WriteForbidden", KubeEvent.WARNING, "app " + app + ": " + String.join("; ", reasons)));
    }

    /** The errors that stalled the commit, as the log and status give them. */
    @Override
    public void rejected(String app, Revision commit, List<String> errors) {
        if (commit.commit().equals(forbiddenCommit.remove(app))) {
            return;
        }
        sink.post(onRecord(
                app,
                "CommitRejected",
                KubeEvent.WARNING,
                "app " + app + ": commit " + describe(commit) + " not applied: " + String.join("; ", errors)));
    }

    @Override
    public void writeBack(String app, WriteBack decision, String summary) {
        boolean pushed = decision.wasPushed();
        sink.post(onRecord(
                app,
                pushed ? "WroteBack" : "WriteBackDeclined",
                pushed ? KubeEvent.NORMAL : KubeEvent.WARNING,
                "app " + app + ": " + summary));
    }

    @Override
    public void pruneRefused(String app, String reason) {
        sink.post(onRecord(app, "PruneRefused", KubeEvent.WARNING, "app " + app + ": " + reason));
    }

    @Override
    public void pruneHeld(String app, String message) {
        sink.post(onRecord(app, "PruneHeld", KubeEvent.WARNING, "app " + app + ": " + message));
    }

    @Override
    public void commitRefused(String app, String check, String commit, String reason) {
        sink.post(onRecord(
                app,
                check.equals("history") ? "HistoryRewriteRefused" : "CommitNotVerified",
                KubeEvent.WARNING,
                "app " + app + ": commit " + commit + " refused: " + reason));
    }

    /** An app-wide event, on the app's record ConfigMap: the one object that always belongs to the app. */
    private KubeEvent onRecord(String app, String reason, String type, String message) {
        return new KubeEvent(
                app, "v1", "ConfigMap", stateNamespace, ConfigMapAppRecords.configMapName(app), reason, type, message);
    }

    private static KubeEvent on(
            String app, ResourceKey key, String apiVersion, String reason, String type, String message) {
        return new KubeEvent(app, apiVersion, key.kind(), key.namespace(), key.name(), reason, type, message);
    }

    private static String describe(Revision commit) {
        return commit.shortSha() + " \"" + commit.subject() + "\"";
    }

    /**
     * Used only when no apply told us the version (drift seen right after a restart). kubectl matches events by
     * kind, name and namespace, so a near miss on the version still shows the event.
     */
    static String guessApiVersion(ResourceKey key) {
        return key.group().isEmpty() ? "v1" : key.group() + "/v1";
    }
}
