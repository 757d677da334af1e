package dev.lockstep.server;

import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.rollout.RolloutStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON shape of {@code GET /status}, built explicitly so renaming a Java field cannot change the API:
 * <pre>
 * {"app": "hello", "health": "Healthy", "commit": "&lt;full sha&gt;", "subject": "image v2", "message": "...",
 *  "errors": ["..."],
 *  "deployments": {"shop/hello-app": {"state": "Healthy", "message": "...", "revision": 2}},
 *  "workloads": {"StatefulSet/shop/db": {"state": "Progressing", "message": "Waiting for 1 pods to be ready...",
 *                "revision": 0}},
 *  "lastPass": "2025-01-01T12:00:00Z"}
 * </pre>
 * With {@code sharding: true} the daemon adds {@code "owner": "<replica>"}, the replica working on the app.
 * {@code health} is one of Unknown, Healthy, Progressing, Failed, Stalled, Error; {@code state} one of Progressing,
 * Healthy, Failed; deployments are sorted by "namespace/name"; {@code lastPass} is ISO-8601 UTC, null before the first pass.
 */
final class StatusJson {
    private StatusJson() {}

    static Map<String, Object> of(AppStatus s) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("app", s.app());
        json.put("health", s.health().display());
        json.put("commit", s.commit());
        json.put("subject", s.subject());
        json.put("message", s.message());
        json.put("errors", s.errors());
        Map<String, Object> deployments = new TreeMap<>();
        s.deployments().forEach((name, rollout) -> deployments.put(name, of(rollout)));
        json.put("deployments", deployments);
        Map<String, Object> workloads = new TreeMap<>();
        s.workloads().forEach((name, state) -> workloads.put(name, of(state)));
        json.put("workloads", workloads);
        json.put(
                "lastPass",
                s.lastPass() == null || s.lastPass().equals(Instant.EPOCH)
                        ? null
                        : s.lastPass().toString());
        return json;
    }

    private static Map<String, Object> of(RolloutStatus r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", r.state().display());
        json.put("message", r.message());
        json.put("revision", r.revision());
        return json;
    }
}
