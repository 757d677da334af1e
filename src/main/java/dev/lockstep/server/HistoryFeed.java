package dev.lockstep.server;

import dev.lockstep.history.HistoryQuery;
import dev.lockstep.history.RevisionDiff;
import dev.lockstep.history.WorkloadHistory;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.SecretMask;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.rollout.RolloutStatus;
import dev.lockstep.rollout.RolloutTracker;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Deployment's revision timeline ({@code GET /api/apps/{app}/history/{namespace}/{name}}) and a past revision's pod
 * template against the current one ({@code .../diff/{namespace}/{name}/{revision}}); the same for a StatefulSet or
 * DaemonSet under {@code .../history/{kind}/...}. Built like {@code lockstep history}, from the cluster alone: the
 * Deployment's ReplicaSets (a StatefulSet's or DaemonSet's ControllerRevisions) and the app's record, so the words of
 * each result are the same as the CLI's. They are listed (one request, and one read of the record) only when the
 * history may have changed ({@link AppViews#historyVersion}), not when a page asks again or a pod becomes ready.
 *
 * <pre>
 * {"app": "hello", "kind": "Deployment", "namespace": "hello", "name": "hello-app", "revisionKind": "ReplicaSet",
 *  "revision": 4, "state": "Healthy",
 *  "historyVersion": "2-4-Healthy",
 *  "rows": [{"revision": 4, "was": [2], "replicaSet": "hello-app-5f7895bb6b", "current": true,
 *            "commit": {"sha": "...", "short": "551bae6", "subject": "Revert \"image v3\"", "author": "Ada Lovelace"},
 *            "images": ["080196/hello-app:v2"], "appliedAt": "...", "replicas": 3,
 *            "result": "rolled back to 2 (c9d82c0)", "resultKind": "rollback",
 *            "rollback": {"toRevision": 2, "commit": "...", "short": "c9d82c0"}}, ...]}
 * </pre>
 * Rows are newest first; a row's {@code replicaSet} names the revision's {@code revisionKind} object (a
 * ControllerRevision for a StatefulSet or DaemonSet, whose rows have 0 replicas). {@code resultKind} is one of rolledOut, failed, progressing, rollback, superseded, none.
 */
final class HistoryFeed {
    private final AppViews views;
    private final Activity activity;
    private final HistoryQuery query;
    private final java.util.function.Function<String, Optional<java.util.Set<String>>> secretValues;
    private final Map<String, Built> cache = new ConcurrentHashMap<>();

    private record Built(String version, WorkloadHistory.Timeline timeline, Map<String, Object> json) {}

    HistoryFeed(AppViews views, Activity activity, HistoryQuery query) {
        this(views, activity, query, app -> Optional.of(java.util.Set.of()));
    }

    /** @param secretValues per app, what was encrypted in git: a revision's pod template may hold it (an env value) */
    HistoryFeed(
            AppViews views,
            Activity activity,
            HistoryQuery query,
            java.util.function.Function<String, Optional<java.util.Set<String>>> secretValues) {
        this.views = views;
        this.activity = activity;
        this.query = query;
        this.secretValues = secretValues;
    }

    /** The StatefulSet or DaemonSet a path names ({@code statefulset}, {@code daemonset}); empty for any other kind. */
    static Optional<ResourceKey> workload(String kind, String namespace, String name) {
        return switch (kind) {
            case "statefulset" -> Optional.of(ResourceKey.of("apps/v1", "StatefulSet", namespace, name));
            case "daemonset" -> Optional.of(ResourceKey.of("apps/v1", "DaemonSet", namespace, name));
            default -> Optional.empty();
        };
    }

    /** Empty when the app does not manage that Deployment or the watch cache does not have it. */
    Optional<Map<String, Object>> history(String app, String namespace, String name) {
        return history(app, deployment(namespace, name));
    }

    /** A Deployment's, StatefulSet's or DaemonSet's timeline; empty when the app does not manage it. */
    Optional<Map<String, Object>> history(String app, ResourceKey key) {
        return built(app, key).map(Built::json);
    }

    Optional<Map<String, Object>> diff(String app, String namespace, String name, long revision) {
        return diff(app, deployment(namespace, name), revision);
    }

    /**
     * The pod template of {@code revision} against the current revision's: {@code {"revision": 3, "current": 4,
     * "diff": "--- revision 3 ..."}}, the diff "" when they are the same. Empty when the revision is unknown.
     */
    Optional<Map<String, Object>> diff(String app, ResourceKey key, long revision) {
        return built(app, key).flatMap(b -> b.timeline().diff(revision)).map(d -> HistoryJson.of(masked(app, d)));
    }

    /**
     * The diff with the app's decrypted values hidden; while this process has not decrypted the app's commit yet (just
     * restarted), what they are is not known, so the whole diff is withheld rather than risk showing one.
     */
    private RevisionDiff masked(String app, RevisionDiff diff) {
        Optional<java.util.Set<String>> values = secretValues.apply(app);
        if (values.isEmpty()) {
            return new RevisionDiff(
                    diff.revision(),
                    diff.current(),
                    diff.unified().isEmpty()
                            ? ""
                            : "(hidden until Lockstep has decrypted this app's commit: it holds SOPS-encrypted values)\n");
        }
        return new RevisionDiff(diff.revision(), diff.current(), SecretMask.maskedText(diff.unified(), values.get()));
    }

    private static ResourceKey deployment(String namespace, String name) {
        return ResourceKey.of(RolloutTracker.DEPLOYMENT_API, "Deployment", namespace, name);
    }

    private Optional<Built> built(String app, ResourceKey key) {
        Optional<AppStatus> status = views.status(app);
        if (status.isEmpty()) {
            return Optional.empty();
        }
        boolean isDeployment = ObjectReadiness.isDeployment(key);
        String full = key.namespace() + "/" + key.name();
        RolloutStatus rollout = isDeployment
                ? status.get().deployments().get(full)
                : status.get().workloads().get(key.toString());
        Optional<Map<String, Object>> object = isDeployment
                ? views.deployment(status.get(), key.namespace(), key.name())
                : views.workload(status.get(), key);
        if (rollout == null || object.isEmpty()) {
            return Optional.empty();
        }
        String version = isDeployment
                ? AppViews.historyVersion(activity.of(app), rollout)
                : AppViews.workloadHistoryVersion(activity.of(app), object.get(), rollout);
        String cacheKey = app + "/" + key;
        Built cached = cache.get(cacheKey);
        if (cached != null && cached.version().equals(version)) {
            return Optional.of(cached);
        }
        WorkloadHistory.Timeline timeline = query.judged(app, key, object.get(), rollout);
        Built built = new Built(version, timeline, HistoryJson.of(app, timeline, version));
        // a list that does not show the current revision yet (the server's cache lags a moment) is not kept
        if (timeline.showsCurrent()) {
            cache.put(cacheKey, built);
        }
        return Optional.of(built);
    }
}
