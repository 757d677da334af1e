package dev.lockstep.reconcile;

import dev.lockstep.cluster.LiveCache;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.cluster.ReplicaSets;
import dev.lockstep.model.Revision;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.TemplateChange;
import dev.lockstep.rollout.DeploymentRollout;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Follows the Deployments whose pod template a commit changed until they are Healthy or Failed, reading
 * only the watch cache; never blocks, so a stuck rollout cannot hold the loop and a new commit simply
 * supersedes the one being followed.
 */
final class RolloutFollower {
    static final String DEPLOYMENT_API = "apps/v1";
    private final Map<ResourceKey, Tracked> tracked = new LinkedHashMap<>();
    private final LiveCache cache;
    private final ReplicaSets replicaSets;

    RolloutFollower(LiveCache cache, ReplicaSets replicaSets) {
        this.cache = cache;
        this.replicaSets = replicaSets;
    }

    /** Starts following; returns the rollout it supersedes, if one was still running. */
    /**
     * @param before the Deployment as it was before the apply: a ProgressDeadlineExceeded condition already on it
     *               belongs to the previous rollout and must not fail this one until the controller re-evaluates it
     */
    Optional<Tracked> follow(ResourceKey deployment, Revision commit, TemplateChange change, Instant appliedAt,
                             Optional<String> reverts, Optional<Map<String, Object>> before) {
        Optional<String> staleDeadline = before.flatMap(RolloutFollower::deadlineExceededAt);
        return Optional.ofNullable(tracked.put(deployment, new Tracked(deployment, commit, change, appliedAt, reverts, staleDeadline)));
    }

    /** The rollout state of a Deployment, judged against the rollout Lockstep follows for it, if any. */
    RolloutStatus statusOf(ResourceKey key, Map<String, Object> live) {
        Tracked t = tracked.get(key);
        RolloutStatus status = DeploymentRollout.evaluate(live);
        if (t == null) {
            return status;
        }
        if (status.state() == RolloutState.FAILED && t.staleDeadline().isPresent()
                && t.staleDeadline().equals(deadlineExceededAt(live))) {
            return new RolloutStatus(RolloutState.PROGRESSING, "Waiting for the controller to start the new rollout...", status.revision());
        }
        if (status.state() == RolloutState.HEALTHY && cache.isStale(key)) {
            return new RolloutStatus(RolloutState.PROGRESSING, "Waiting for the rollout to start...", status.revision());
        }
        return status;
    }

    private static Optional<String> deadlineExceededAt(Map<String, Object> deployment) {
        for (Map<String, Object> c : dev.lockstep.util.Tree.maps(deployment, "status", "conditions")) {
            if ("Progressing".equals(c.get("type")) && "ProgressDeadlineExceeded".equals(c.get("reason"))) {
                return Optional.of(String.valueOf(c.get("lastUpdateTime")));
            }
        }
        return Optional.empty();
    }

    boolean followingAny() {
        return !tracked.isEmpty();
    }

    boolean following(ResourceKey key) {
        return tracked.containsKey(key);
    }

    /** The rollouts that ended since the last call. */
    List<Finished> poll() {
        Map<ResourceKey, RolloutStatus> ended = new LinkedHashMap<>();
        Map<ResourceKey, Map<String, String>> selectors = new LinkedHashMap<>();
        for (Tracked t : tracked.values()) {
            if (cache.isStale(t.deployment())) {
                continue;
            }
            var live = cache.get(DEPLOYMENT_API, t.deployment());
            if (live.isEmpty()) {
                continue;
            }
            RolloutStatus status = statusOf(t.deployment(), live.get());
            if (status.state() != RolloutState.PROGRESSING) {
                ended.put(t.deployment(), status);
                selectors.put(t.deployment(), ReplicaSets.selectorOf(live.get()));
            }
        }
        // One rollout ending: a list by its selector. Many in one namespace (a bulk commit): one list of the namespace.
        Map<String, Long> endedPerNamespace = new LinkedHashMap<>();
        ended.keySet().forEach(k -> endedPerNamespace.merge(k.namespace(), 1L, Long::sum));
        Map<String, Map<String, List<ReplicaSetInfo>>> byNamespace = new LinkedHashMap<>();
        List<Finished> done = new ArrayList<>();
        for (Map.Entry<ResourceKey, RolloutStatus> e : ended.entrySet()) {
            ResourceKey key = e.getKey();
            List<ReplicaSetInfo> owned = endedPerNamespace.get(key.namespace()) > 1
                    ? byNamespace.computeIfAbsent(key.namespace(), replicaSets::byOwner).getOrDefault(key.name(), List.of())
                    : replicaSets.ownedBy(key.namespace(), key.name(), selectors.get(key));
            done.add(finish(tracked.get(key), e.getValue(), owned));
        }
        // Only now: when a list fails, the exception leaves every rollout to the next poll.
        done.forEach(f -> tracked.remove(f.rollout().deployment()));
        return done;
    }

    private Finished finish(Tracked t, RolloutStatus status, List<ReplicaSetInfo> owned) {
        Optional<ReplicaSetInfo> current = owned.stream().filter(rs -> rs.revision() == status.revision()).findFirst();
        String rsName = current.map(ReplicaSetInfo::name).orElse("");
        boolean reused = t.change().reuses().map(r -> r.name().equals(rsName)).orElse(false);
        String result;
        if (status.state() == RolloutState.FAILED) {
            result = "failed";
        } else if (t.change().rollback()) {
            long to = t.change().reuses().get().revision();
            result = reused ? "rolled back to " + to : "rolled out (expected to reuse revision " + to + ", the controller made a new ReplicaSet)";
        } else if (t.reverts().isPresent()) {
            String sha = t.reverts().get();
            result = "rolled out (reverts " + sha.substring(0, Math.min(7, sha.length()))
                    + "; its ReplicaSet was already removed by revisionHistoryLimit, so a new one was made)";
        } else {
            result = "rolled out";
        }
        return new Finished(t, status, rsName, reused, result);
    }

    /** A rollout being followed. {@code reverts} is the commit named by "This reverts commit X", a label only. */
    record Tracked(ResourceKey deployment, Revision commit, TemplateChange change, Instant appliedAt, Optional<String> reverts,
                   Optional<String> staleDeadline) {
        HistoryEntry entry(long revision, String replicaSet, String result) {
            return new HistoryEntry(deployment.namespace() + "/" + deployment.name(), revision, replicaSet, commit.commit(), commit.subject(),
                    commit.author(), appliedAt, result);
        }
    }

    record Finished(Tracked rollout, RolloutStatus status, String replicaSet, boolean reused, String result) {
        HistoryEntry entry() {
            return rollout.entry(status.revision(), replicaSet, result);
        }
    }
}
