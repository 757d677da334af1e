package dev.lockstep.server;

import dev.lockstep.cluster.AppRecords;
import dev.lockstep.cluster.ReplicaSetLister;
import dev.lockstep.history.DeploymentHistory;
import dev.lockstep.history.HistoryRow;
import dev.lockstep.history.TemplateDiff;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.AppStatus;
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
 * template against the current one ({@code .../diff/{namespace}/{name}/{revision}}). Built like {@code lockstep
 * history}, from the cluster alone: the Deployment's ReplicaSets and the app's record, so the words of each result are
 * the same as the CLI's. The ReplicaSets are listed (one request, and one read of the record) only when the history
 * may have changed ({@link AppViews#historyVersion}), not when a page asks again or a pod becomes ready.
 *
 * <pre>
 * {"app": "hello", "namespace": "hello", "name": "hello-app", "revision": 4, "state": "Healthy",
 *  "historyVersion": "2-4-Healthy",
 *  "rows": [{"revision": 4, "was": [2], "replicaSet": "hello-app-5f7895bb6b", "current": true,
 *            "commit": {"sha": "...", "short": "551bae6", "subject": "Revert \"image v3\"", "author": "Ada Lovelace"},
 *            "images": ["080196/hello-app:v2"], "appliedAt": "...", "replicas": 3,
 *            "result": "rolled back to 2 (c9d82c0)", "resultKind": "rollback",
 *            "rollback": {"toRevision": 2, "commit": "...", "short": "c9d82c0"}}, ...]}
 * </pre>
 * Rows are newest first. {@code resultKind} is one of rolledOut, failed, progressing, rollback, superseded, none.
 */
final class HistoryFeed {
    private final AppViews views;
    private final Activity activity;
    private final ReplicaSetLister replicaSets;
    private final AppRecords records;
    private final Map<String, Built> cache = new ConcurrentHashMap<>();

    private record Built(String version, List<ReplicaSetInfo> replicaSets, Map<String, Object> json) {}

    HistoryFeed(AppViews views, Activity activity, ReplicaSetLister replicaSets, AppRecords records) {
        this.views = views;
        this.activity = activity;
        this.replicaSets = replicaSets;
        this.records = records;
    }

    /** Empty when the app does not manage that Deployment or the watch cache does not have it. */
    Optional<Map<String, Object>> history(String app, String namespace, String name) {
        return built(app, namespace, name).map(Built::json);
    }

    /**
     * The pod template of {@code revision} against the current revision's: {@code {"revision": 3, "current": 4,
     * "diff": "--- revision 3 ..."}}, the diff "" when they are the same. Empty when the revision is unknown.
     */
    Optional<Map<String, Object>> diff(String app, String namespace, String name, long revision) {
        Optional<Built> built = built(app, namespace, name);
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

    private static Optional<ReplicaSetInfo> find(List<ReplicaSetInfo> all, long revision) {
        return all.stream().filter(rs -> rs.revision() == revision).findFirst();
    }

    private Optional<Built> built(String app, String namespace, String name) {
        Optional<AppStatus> status = views.status(app);
        if (status.isEmpty()) {
            return Optional.empty();
        }
        String full = namespace + "/" + name;
        RolloutStatus rollout = status.get().deployments().get(full);
        Optional<Map<String, Object>> deployment = views.deployment(status.get(), namespace, name);
        if (rollout == null || deployment.isEmpty()) {
            return Optional.empty();
        }
        String version = AppViews.historyVersion(activity.of(app), rollout);
        String key = app + "/" + full;
        Built cached = cache.get(key);
        if (cached != null && cached.version().equals(version)) {
            return Optional.of(cached);
        }
        List<ReplicaSetInfo> owned =
                replicaSets.ownedBy(namespace, name, ReplicaSetLister.selectorOf(deployment.get()));
        AppRecord record = records.load(app).orElse(AppRecord.EMPTY);
        Built built = new Built(version, owned, json(app, namespace, name, rollout, version, owned, record));
        // a list that does not show the current revision yet (the server's cache lags a moment) is not kept
        if (find(owned, rollout.revision()).isPresent()) {
            cache.put(key, built);
        }
        return Optional.of(built);
    }

    private static Map<String, Object> json(
            String app,
            String namespace,
            String name,
            RolloutStatus rollout,
            String version,
            List<ReplicaSetInfo> owned,
            AppRecord record) {
        Map<String, HistoryRow> rows = new LinkedHashMap<>();
        DeploymentHistory.rows(
                        ResourceKey.of(RolloutTracker.DEPLOYMENT_API, "Deployment", namespace, name),
                        owned,
                        rollout,
                        record.history())
                .forEach(r -> rows.put(r.replicaSet(), r));
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
        json.put("namespace", namespace);
        json.put("name", name);
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
