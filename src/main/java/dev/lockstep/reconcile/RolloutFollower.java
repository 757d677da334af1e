package dev.lockstep.reconcile;

import dev.lockstep.cluster.LiveCache;
import dev.lockstep.cluster.ReplicaSetInfo;
import dev.lockstep.cluster.ReplicaSets;
import dev.lockstep.git.Revision;
import dev.lockstep.history.HistoryEntry;
import dev.lockstep.manifest.ResourceKey;
import dev.lockstep.plan.TemplateChange;
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
    Optional<Tracked> follow(ResourceKey deployment, Revision commit, TemplateChange change, Instant appliedAt, Optional<String> reverts) {
        return Optional.ofNullable(tracked.put(deployment, new Tracked(deployment, commit, change, appliedAt, reverts)));
    }

    boolean following(ResourceKey key) {
        return tracked.containsKey(key);
    }

    /** The rollouts that ended since the last call. */
    List<Finished> poll() {
        List<Finished> done = new ArrayList<>();
        var it = tracked.values().iterator();
        while (it.hasNext()) {
            Tracked t = it.next();
            if (cache.isStale(t.deployment())) {
                continue;
            }
            var live = cache.get(DEPLOYMENT_API, t.deployment());
            if (live.isEmpty()) {
                continue;
            }
            RolloutStatus status = DeploymentRollout.evaluate(live.get());
            if (status.state() == RolloutState.PROGRESSING) {
                continue;
            }
            it.remove();
            done.add(finish(t, status));
        }
        return done;
    }

    private Finished finish(Tracked t, RolloutStatus status) {
        ResourceKey key = t.deployment();
        Optional<ReplicaSetInfo> current = replicaSets.ownedBy(key.namespace(), key.name()).stream()
                .filter(rs -> rs.revision() == status.revision()).findFirst();
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
    record Tracked(ResourceKey deployment, Revision commit, TemplateChange change, Instant appliedAt, Optional<String> reverts) {
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
