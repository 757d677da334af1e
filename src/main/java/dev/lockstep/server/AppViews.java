package dev.lockstep.server;

import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.history.CommitRef;
import dev.lockstep.history.Images;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.rollout.RolloutStatus;
import dev.lockstep.rollout.RolloutTracker;
import dev.lockstep.util.Tree;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The JSON of {@code GET /api/apps}: each app as the page shows it, built from the loop's {@link AppStatus}, what the
 * listener heard ({@link Activity}) and the watch cache's Deployments, StatefulSets, DaemonSets and Jobs. Reading it
 * costs no API request. Only those kinds are read, and from them only pod counts, images and Lockstep's commit
 * annotations: no Secret, no ConfigMap, no environment value ever reaches it.
 *
 * <pre>
 * {"app": "hello", "health": "Healthy", "message": "...",
 *  "commit": {"sha": "...", "short": "551bae6", "subject": "...", "author": "Ada Lovelace", "time": "..."},
 *  "head": {"sha": "...", "short": "...", "subject": "..."}, "atHead": true,
 *  "lastPass": {"at": "...", "outcome": "applied", "tookMs": 420},
 *  "errors": ["commit 8a147fc: app/broken.yaml:4: ..."], "heldPrunes": ["refusing to prune ..."],
 *  "refusedCommits": [{"sha": "...", "short": "...", "subject": "...", "errors": ["..."]}],
 *  "deployments": [{"namespace": "hello", "name": "hello-app", "state": "Healthy", "message": "...", "revision": 4,
 *                   "replicas": {"desired": 3, "updated": 3, "ready": 3, "available": 3, "total": 3},
 *                   "images": ["080196/hello-app:v2"], "historyVersion": "2-4-Healthy"}],
 *  "workloads": [{"kind": "StatefulSet", "namespace": "hello", "name": "db", "state": "Failed", "message": "...",
 *                 "pods": {"desired": 3, "updated": 1, "ready": 2}, "images": ["db:v3"], "history": true,
 *                 "historyVersion": "3-g4-Failed"}]}
 * </pre>
 * A Job's {@code pods} are {@code active}, {@code succeeded} and {@code failed}, and it has no history. Times are ISO-8601
 * UTC; a part not known yet is null (commit author before the first pass, head while git was never
 * reached, lastPass before the first pass).
 */
final class AppViews {
    private final Supplier<List<AppStatus>> statuses;
    private final Activity activity;
    private final LiveObjects live;

    AppViews(Supplier<List<AppStatus>> statuses, Activity activity, LiveObjects live) {
        this.statuses = statuses;
        this.activity = activity;
        this.live = live;
    }

    List<Map<String, Object>> all() {
        return statuses.get().stream().map(this::of).toList();
    }

    Optional<Map<String, Object>> one(String app) {
        return status(app).map(this::of);
    }

    Optional<AppStatus> status(String app) {
        return statuses.get().stream().filter(s -> s.app().equals(app)).findFirst();
    }

    /** The Deployment "namespace/name" from the watch cache, if the app manages it. */
    Optional<Map<String, Object>> deployment(AppStatus status, String namespace, String name) {
        if (!status.deployments().containsKey(namespace + "/" + name)) {
            return Optional.empty();
        }
        return live.get(
                RolloutTracker.DEPLOYMENT_API,
                ResourceKey.of(RolloutTracker.DEPLOYMENT_API, "Deployment", namespace, name));
    }

    /** The StatefulSet, DaemonSet or Job from the watch cache, if the app manages it. */
    Optional<Map<String, Object>> workload(AppStatus status, ResourceKey key) {
        if (!ObjectReadiness.followsRollout(key) || !status.workloads().containsKey(key.toString())) {
            return Optional.empty();
        }
        return live.get(ObjectReadiness.apiVersionOf(key), key);
    }

    /**
     * A StatefulSet's or DaemonSet's: its status holds no revision number, so its generation (bumped by a template
     * change) stands in for it.
     */
    static String workloadHistoryVersion(Activity.AppActivity a, Map<String, Object> object, RolloutStatus rollout) {
        return a.generation() + "-g"
                + Tree.number(object, "metadata", "generation").orElse(0L) + "-"
                + rollout.state().display();
    }

    /** Changes whenever the Deployment's revision history may have: a new revision, a rollout's end, a new commit. */
    static String historyVersion(Activity.AppActivity a, RolloutStatus rollout) {
        return a.generation() + "-" + rollout.revision() + "-" + rollout.state().display();
    }

    private Map<String, Object> of(AppStatus s) {
        Activity.AppActivity a = activity.of(s.app());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("app", s.app());
        json.put("health", s.health().display());
        json.put("message", s.message());
        // each Deployment read from the cache once, for its row and for the commit's author and time
        Map<String, Map<String, Object>> objects = new TreeMap<>();
        Map<String, Map<String, Object>> deployments = new TreeMap<>();
        s.deployments().forEach((name, rollout) -> {
            Map<String, Object> d = deployment(s, name);
            objects.put(name, d);
            deployments.put(name, deployment(name, d, rollout, a));
        });
        json.put("commit", commit(s, a, objects));
        Optional<Revision> head = a.head();
        json.put("head", head.map(AppViews::revision).orElse(null));
        json.put("atHead", head.map(h -> h.commit().equals(s.commit())).orElse(null));
        json.put(
                "lastPass",
                a.lastPass()
                        .map(p -> {
                            Map<String, Object> pass = new LinkedHashMap<>();
                            pass.put("at", p.at().toString());
                            pass.put("outcome", p.outcome().label());
                            pass.put("tookMs", p.took().toMillis());
                            return pass;
                        })
                        .orElse(null));
        json.put("errors", s.errors());
        json.put("heldPrunes", a.heldPrune().map(List::of).orElse(List.of()));
        json.put(
                "refusedCommits",
                a.refused()
                        .filter(r -> s.health() == AppHealth.STALLED
                                && !r.commit().commit().equals(s.commit()))
                        .map(r -> {
                            Map<String, Object> refused = revision(r.commit());
                            refused.put("errors", r.errors());
                            return List.of(refused);
                        })
                        .orElse(List.of()));
        json.put("deployments", new ArrayList<>(deployments.values()));
        json.put("workloads", workloads(s, a));
        return json;
    }

    /**
     * The StatefulSets, DaemonSets and Jobs, by kind then name: state as judged, images, pod counts, and whether a
     * revision timeline exists (not for a Job, whose template cannot change).
     */
    private List<Map<String, Object>> workloads(AppStatus s, Activity.AppActivity a) {
        Map<ResourceKey, RolloutStatus> sorted = new TreeMap<>(java.util.Comparator.comparing(ResourceKey::kind)
                .thenComparing(ResourceKey::namespace)
                .thenComparing(ResourceKey::name));
        s.workloads().forEach((name, state) -> keyOf(name).ifPresent(k -> sorted.put(k, state)));
        List<Map<String, Object>> out = new ArrayList<>();
        sorted.forEach((key, rollout) -> {
            Map<String, Object> object = workload(s, key).orElse(Map.of());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("kind", key.kind());
            json.put("namespace", key.namespace());
            json.put("name", key.name());
            json.put("state", rollout.state().display());
            json.put("message", rollout.message());
            json.put("pods", pods(key, object));
            json.put("images", Images.of(Tree.map(object, "spec", "template")));
            boolean history = ObjectReadiness.hasControllerRevisions(key);
            json.put("history", history);
            json.put("historyVersion", history ? workloadHistoryVersion(a, object, rollout) : null);
            out.add(json);
        });
        return out;
    }

    /** "StatefulSet/ns/name" as AppStatus keys them; only the kinds whose rollouts Lockstep follows. */
    private static Optional<ResourceKey> keyOf(String name) {
        String[] p = name.split("/", 3);
        if (p.length != 3) {
            return Optional.empty();
        }
        String apiVersion = switch (p[0]) {
            case "StatefulSet", "DaemonSet" -> "apps/v1";
            case "Job" -> "batch/v1";
            default -> "";
        };
        return apiVersion.isEmpty() ? Optional.empty() : Optional.of(ResourceKey.of(apiVersion, p[0], p[1], p[2]));
    }

    /** Pod counts as {@code kubectl get} shows them: a StatefulSet's and DaemonSet's desired, updated and ready. */
    private static Map<String, Object> pods(ResourceKey key, Map<String, Object> o) {
        Map<String, Object> pods = new LinkedHashMap<>();
        switch (key.kind()) {
            case "StatefulSet" -> {
                pods.put("desired", Tree.number(o, "spec", "replicas").orElse(o.isEmpty() ? 0L : 1L));
                pods.put("updated", Tree.number(o, "status", "updatedReplicas").orElse(0L));
                pods.put("ready", Tree.number(o, "status", "readyReplicas").orElse(0L));
            }
            case "DaemonSet" -> {
                pods.put(
                        "desired",
                        Tree.number(o, "status", "desiredNumberScheduled").orElse(0L));
                pods.put(
                        "updated",
                        Tree.number(o, "status", "updatedNumberScheduled").orElse(0L));
                pods.put("ready", Tree.number(o, "status", "numberReady").orElse(0L));
            }
            default -> {
                pods.put("active", Tree.number(o, "status", "active").orElse(0L));
                pods.put("succeeded", Tree.number(o, "status", "succeeded").orElse(0L));
                pods.put("failed", Tree.number(o, "status", "failed").orElse(0L));
            }
        }
        return pods;
    }

    /** The Deployment "namespace/name" from the watch cache, empty when the cache does not have it. */
    private Map<String, Object> deployment(AppStatus s, String name) {
        int slash = name.indexOf('/');
        return deployment(s, name.substring(0, slash), name.substring(slash + 1))
                .orElse(Map.of());
    }

    private static Map<String, Object> deployment(
            String name, Map<String, Object> d, RolloutStatus rollout, Activity.AppActivity activity) {
        int slash = name.indexOf('/');
        String namespace = name.substring(0, slash);
        String short_ = name.substring(slash + 1);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("namespace", namespace);
        json.put("name", short_);
        json.put("state", rollout.state().display());
        json.put("message", rollout.message());
        json.put("revision", rollout.revision());
        Map<String, Object> replicas = new LinkedHashMap<>();
        replicas.put("desired", Tree.number(d, "spec", "replicas").orElse(d.isEmpty() ? 0L : 1L));
        replicas.put("updated", Tree.number(d, "status", "updatedReplicas").orElse(0L));
        replicas.put("ready", Tree.number(d, "status", "readyReplicas").orElse(0L));
        replicas.put("available", Tree.number(d, "status", "availableReplicas").orElse(0L));
        replicas.put("total", Tree.number(d, "status", "replicas").orElse(0L));
        json.put("replicas", replicas);
        json.put("images", Images.of(Tree.map(d, "spec", "template")));
        json.put("historyVersion", historyVersion(activity, rollout));
        return json;
    }

    /** The commit the app is at; author and time from this process's last apply, else from its Deployments. */
    private static Map<String, Object> commit(
            AppStatus s, Activity.AppActivity a, Map<String, Map<String, Object>> deployments) {
        if (s.commit().isEmpty()) {
            return null;
        }
        Optional<Revision> known = a.commit().filter(c -> c.commit().equals(s.commit()));
        if (known.isPresent()) {
            Map<String, Object> json = new LinkedHashMap<>(revision(known.get()));
            deployments.values().stream()
                    .map(d -> Tree.map(d, "metadata", "annotations"))
                    .filter(an -> s.commit().equals(an.get(MetadataKeys.COMMIT)))
                    .findFirst()
                    .ifPresent(an -> json.put("renderedBy", an.get(MetadataKeys.RENDERED_BY)));
            return json;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sha", s.commit());
        json.put("short", Revision.shortSha(s.commit()));
        json.put("subject", s.subject());
        json.put("author", null);
        json.put("time", null);
        for (Map<String, Object> deployment : deployments.values()) {
            Map<String, Object> annotations = Tree.map(deployment, "metadata", "annotations");
            if (s.commit().equals(annotations.get(MetadataKeys.COMMIT))) {
                json.put("subject", String.valueOf(annotations.getOrDefault(MetadataKeys.COMMIT_SUBJECT, s.subject())));
                json.put(
                        "author", authorName(String.valueOf(annotations.getOrDefault(MetadataKeys.COMMIT_AUTHOR, ""))));
                json.put("time", annotations.get(MetadataKeys.COMMIT_TIME));
                json.put("renderedBy", annotations.get(MetadataKeys.RENDERED_BY));
                break;
            }
        }
        return json;
    }

    static Map<String, Object> revision(Revision r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sha", r.commit());
        json.put("short", r.shortSha());
        json.put("subject", r.subject());
        json.put("author", r.author().isEmpty() ? null : r.author());
        json.put(
                "time",
                r.time() == null || r.time().equals(Instant.EPOCH)
                        ? null
                        : r.time().toString());
        return json;
    }

    /** "Ada Lovelace <ada@example.com>" → "Ada Lovelace", as {@code lockstep history} shows it; null when blank. */
    static String authorName(String author) {
        String name = CommitRef.stripEmail(author);
        return name.isBlank() ? null : name;
    }
}
