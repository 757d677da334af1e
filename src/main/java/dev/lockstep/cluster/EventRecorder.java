package dev.lockstep.cluster;

import dev.lockstep.model.Revision;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.reconcile.ReconcileListener;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts Kubernetes Events about what Lockstep did, so {@code kubectl describe} and {@code kubectl get events} show it
 * next to the controller's own events:
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
 *   <tr><td>PruneRefused</td><td>Warning</td><td>the anchor object if there is one, else the app's record ConfigMap
 *       {@code lockstep-app-<app>} in the state namespace (the one object that always belongs to the app)</td></tr>
 * </table>
 *
 * Events on cluster-scoped objects go to namespace {@code default}, as the API server requires. Posting is best
 * effort and off the reconcile thread: one daemon thread with a bounded queue; when the queue is full or the API
 * server refuses, the event is dropped and logged at debug. {@link #close()} sends what is queued (bounded wait).
 */
public final class EventRecorder implements ReconcileListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    private static final int QUEUE = 512;
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final KubernetesClient client;
    private final String stateNamespace;
    private final Clock clock;
    private final ThreadPoolExecutor executor;
    private final AtomicLong sequence = new AtomicLong();
    /** apiVersions seen in applies, for drift and prune events whose callback carries only the key. */
    private final Map<ResourceKey, String> apiVersions = new ConcurrentHashMap<>();

    /** @param stateNamespace where the app record ConfigMaps live (anchor of app-wide events) */
    public EventRecorder(KubernetesClient client, String stateNamespace, Clock clock) {
        this.client = client;
        this.stateNamespace = stateNamespace;
        this.clock = clock;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "events");
            t.setDaemon(true);
            return t;
        }, (r, e) -> log.debug("event dropped: queue full or recorder closed"));
    }

    @Override
    public void applied(String app, ResourceKey key, String apiVersion, Revision commit, boolean created) {
        apiVersions.put(key, apiVersion);
        post(on(app, key, apiVersion, "Applied", KubeEvent.NORMAL,
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
        post(on(app, deployment, "apps/v1", ok ? "RolloutSucceeded" : "RolloutFailed", ok ? KubeEvent.NORMAL : KubeEvent.WARNING,
                "commit " + describe(commit) + ": " + status.message() + " (revision " + status.revision() + ")"));
    }

    @Override
    public void rolledBack(String app, ResourceKey deployment, long toRevision, long newRevision, Revision commit, boolean reused) {
        String message = reused
                ? "rolled back to revision " + toRevision + " (now revision " + newRevision + ") by commit " + describe(commit)
                : "rolled back to the pod template of revision " + toRevision + " by commit " + describe(commit)
                + ", but its ReplicaSet was gone (revisionHistoryLimit): a new ReplicaSet was made (now revision " + newRevision + ")";
        post(on(app, deployment, "apps/v1", "RolledBack", KubeEvent.NORMAL, message));
    }

    @Override
    public void drift(String app, ResourceKey key, String field, boolean corrected) {
        String apiVersion = apiVersions.getOrDefault(key, guessApiVersion(key));
        post(corrected
                ? on(app, key, apiVersion, "DriftCorrected", KubeEvent.NORMAL, "field " + field + " differed from git: restored git's version")
                : on(app, key, apiVersion, "DriftDetected", KubeEvent.WARNING, "field " + field + " differs from git (selfHeal is off: not corrected)"));
    }

    @Override
    public void pruneRefused(String app, String reason, ResourceKey anchor) {
        KubeEvent event = anchor != null
                ? on(app, anchor, apiVersions.getOrDefault(anchor, guessApiVersion(anchor)), "PruneRefused", KubeEvent.WARNING, reason)
                : new KubeEvent(app, "v1", "ConfigMap", stateNamespace, AppRecordStore.configMapName(app), "PruneRefused",
                KubeEvent.WARNING, "app " + app + ": " + reason);
        post(event);
    }

    /** Sends what is queued (up to a few seconds), then stops; later events are dropped. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    private void post(KubeEvent event) {
        // stamped now, on the reconcile thread: the time is when it happened, not when the queue got to it
        Event built = event.toEvent(clock.instant(), sequence.incrementAndGet());
        try {
            executor.execute(() -> send(event, built));
        } catch (RejectedExecutionException e) {
            log.debug("event {} on {}/{} dropped", event.reason(), event.kind(), event.name());
        }
    }

    private void send(KubeEvent event, Event built) {
        try {
            client.v1().events().inNamespace(event.eventNamespace()).resource(built).create();
        } catch (RuntimeException e) {
            // best effort: a missing event must never fail or slow down a reconcile
            log.debug("cannot post event {} on {}/{}: {}", event.reason(), event.kind(), event.name(), e.getMessage());
        }
    }

    private static KubeEvent on(String app, ResourceKey key, String apiVersion, String reason, String type, String message) {
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
        if (key.group().isEmpty()) {
            return "v1";
        }
        return key.group() + "/v1";
    }
}
