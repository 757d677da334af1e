package dev.lockstep.server;

import dev.lockstep.cluster.AppRecords;
import dev.lockstep.cluster.ControllerRevisions;
import dev.lockstep.cluster.ReplicaSetLister;
import dev.lockstep.history.DeploymentHistory;
import dev.lockstep.history.HistoryRow;
import dev.lockstep.history.TemplateDiff;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.rollout.CurrentRevision;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.rollout.RolloutStatus;
import dev.lockstep.rollout.RolloutTracker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
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
    private final ReplicaSetLister replicaSets;
    private final ControllerRevisions revisions;
    private final AppRecords records;
    private final Map<String, Built> cache = new ConcurrentHashMap<>();

    private record Built(String version, List<ReplicaSetInfo> replicaSets, Map<String, Object> json) {}

    HistoryFeed(
            AppViews views,
            Activity activity,
            ReplicaSetLister replicaSets,
            ControllerRevisions revisions,
            AppRecords records) {
        this.views = views;
        this.activity = activity;
        this.replicaSets = replicaSets;
        this.revisions = revisions;
        this.records = records;
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
        Optional<Built> built = built(app, key);
        if (built.isEmpty()) {
            return Optional.empty();
        }
        long current = ((Number) built.get().json().get("revision")).longValue();
        Optional<ReplicaSetInfo> past = find(built.get().replicaSets(), revision);
        Optional<ReplicaSetInfo> now = find(built.get().replicaSets(), current);
        if (past.isEmpty() || now.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("revision", revision);
        json.put("current", current);
        json.put(
                "diff",
                TemplateDiff.unified(
                        "revision " + revision + " (" + past.get().name() + ")",
                        past.get().template(),
                        "revision " + current + " (" + now.get().name() + ", current)",
                        now.get().template()));
        return Optional.of(json);
    }

    private static ResourceKey deployment(String namespace, String name) {
        return ResourceKey.of(RolloutTracker.DEPLOYMENT_API, "Deployment", namespace, name);
    }

    private static Optional<ReplicaSetInfo> find(List<ReplicaSetInfo> all, long revision) {
        return all.stream().filter(rs -> rs.revision() == revision).findFirst();
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
        List<ReplicaSetInfo> owned;
        if (isDeployment) {
            owned = replicaSets.ownedBy(key.namespace(), key.name(), ReplicaSetLister.selectorOf(object.get()));
        } else {
            // a StatefulSet's or DaemonSet's revision is its current ControllerRevision's, not in its status
            List<ControllerRevisionInfo> crs = revisions.ownedBy(
                    key.namespace(), key.kind(), key.name(), ReplicaSetLister.selectorOf(object.get()));
            long current = CurrentRevision.of(object.get(), crs)
                    .map(ControllerRevisionInfo::revision)
                    .orElse(0L);
            rollout = new RolloutStatus(rollout.state(), rollout.message(), current);
            owned = crs.stream().map(ControllerRevisionInfo::asRevisionRow).toList();
        }
        AppRecord record = records.load(app).orElse(AppRecord.EMPTY);
        Built built = new Built(version, owned, json(app, key, rollout, version, owned, record));
        // a list that does not show the current revision yet (the server's cache lags a moment) is not kept
        if (find(owned, rollout.revision()).isPresent()) {
            cache.put(cacheKey, built);
        }
        return Optional.of(built);
    }

    private static Map<String, Object> json(
            String app,
            ResourceKey key,
            RolloutStatus rollout,
            String version,
            List<ReplicaSetInfo> owned,
            AppRecord record) {
        Map<String, HistoryRow> rows = new LinkedHashMap<>();
        DeploymentHistory.rows(key, owned, rollout, record.history()).forEach(r -> rows.put(r.replicaSet(), r));
        List<ReplicaSetInfo> newestFirst = new ArrayList<>(owned);
        newestFirst.sort(Comparator.comparingLong(ReplicaSetInfo::revision).reversed());
        List<Map<String, Object>> out = new ArrayList<>();
        for (ReplicaSetInfo rs : newestFirst) {
            HistoryRow row = rows.get(rs.name());
            Map<String, String> a = rs.annotations();
            String sha = a.getOrDefault(MetadataKeys.COMMIT, "");
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("revision", rs.revision());
            json.put("was", rs.revisionHistory());
            json.put("replicaSet", rs.name());
            json.put("current", rs.revision() == rollout.revision());
            if (sha.isEmpty()) {
                json.put("commit", null);
            } else {
                Map<String, Object> commit = new LinkedHashMap<>();
                commit.put("sha", sha);
                commit.put("short", Revision.shortSha(sha));
                commit.put("subject", a.getOrDefault(MetadataKeys.COMMIT_SUBJECT, ""));
                commit.put("author", AppViews.authorName(a.getOrDefault(MetadataKeys.COMMIT_AUTHOR, "")));
                json.put("commit", commit);
            }
            json.put("images", AppViews.images(rs.template()));
            json.put("appliedAt", a.get(MetadataKeys.APPLIED_AT));
            json.put("replicas", rs.replicas());
            String result = row == null ? "-" : row.result();
            json.put("result", result);
            json.put("resultKind", kind(result));
            String to = a.get(MetadataKeys.ROLLBACK_REVISION);
            if (to != null && to.matches("\\d+")) {
                Map<String, Object> rollback = new LinkedHashMap<>();
                String original = a.getOrDefault(MetadataKeys.ROLLBACK_OF, "");
                rollback.put("toRevision", Long.parseLong(to));
                rollback.put("commit", original.isEmpty() ? null : original);
                rollback.put("short", original.isEmpty() ? null : Revision.shortSha(original));
                json.put("rollback", rollback);
            } else {
                json.put("rollback", null);
            }
            out.add(json);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("app", app);
        json.put("kind", key.kind());
        json.put("namespace", key.namespace());
        json.put("name", key.name());
        json.put("revisionKind", ObjectReadiness.isDeployment(key) ? "ReplicaSet" : "ControllerRevision");
        json.put("revision", rollout.revision());
        json.put("state", rollout.state().display());
        json.put("historyVersion", version);
        json.put("rows", out);
        return json;
    }

    static String kind(String result) {
        if (result.startsWith("rolled out")) {
            return "rolledOut";
        }
        if (result.startsWith("failed")) {
            return "failed";
        }
        if (result.startsWith("progressing")) {
            return "progressing";
        }
        if (result.startsWith("rolled back")) {
            return "rollback";
        }
        if (result.startsWith("superseded")) {
            return "superseded";
        }
        return "none";
    }
}
