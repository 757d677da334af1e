package dev.lockstep.rollout;

import dev.lockstep.cluster.ControllerRevisions;
import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.cluster.ReplicaSetLister;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.WriteBack;
import dev.lockstep.model.WriteBackTrailers;
import dev.lockstep.util.Tree;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges the rollouts Lockstep follows until they are Healthy or Failed (Deployments here; StatefulSets, DaemonSets
 * and Jobs in {@link WorkloadRollouts}), reading only the watch cache (plus, when rollouts end, one ReplicaSet list
 * per namespace selecting only their ReplicaSets). It keeps no state: the caller holds the followed rollouts. It never blocks, so a
 * stuck rollout cannot hold the loop, and a new commit simply supersedes the one being followed.
 */
public final class RolloutTracker {
    public static final String DEPLOYMENT_API = "apps/v1";
    private final LiveObjects live;
    private final ReplicaSetLister replicaSets;
    /** StatefulSets, DaemonSets and Jobs: everything followed that is not a Deployment. */
    private final WorkloadRollouts workloads;

    /** For Deployments only (StatefulSet and DaemonSet revisions are then not read). */
    public RolloutTracker(LiveObjects live, ReplicaSetLister replicaSets) {
        this(live, replicaSets, ControllerRevisions.NONE, Clock.systemUTC());
    }

    /** @param clock measures the progress deadline of StatefulSet, DaemonSet and Job rollouts */
    public RolloutTracker(
            LiveObjects live, ReplicaSetLister replicaSets, ControllerRevisions controllerRevisions, Clock clock) {
        this.live = live;
        this.replicaSets = replicaSets;
        this.workloads = new WorkloadRollouts(live, controllerRevisions, clock);
    }

    /** The rollout state of a Deployment, judged against the rollout Lockstep follows for it, if any. */
    public RolloutStatus statusOf(Optional<TrackedRollout> tracked, ResourceKey key, Map<String, Object> deployment) {
        if (!ObjectReadiness.isDeployment(key)) {
            return workloads.statusOf(tracked, key, deployment);
        }
        RolloutStatus status = DeploymentRollout.evaluate(deployment);
        if (tracked.isEmpty()) {
            return status;
        }
        Optional<String> stale = tracked.get().staleDeadline();
        if (status.state() == RolloutState.FAILED
                && stale.isPresent()
                && stale.equals(DeploymentRollout.deadlineExceededAt(deployment))) {
            return new RolloutStatus(
                    RolloutState.PROGRESSING,
                    "Waiting for the controller to start the new rollout...",
                    status.revision());
        }
        if (status.state() == RolloutState.HEALTHY && live.isStale(key)) {
            return new RolloutStatus(
                    RolloutState.PROGRESSING, "Waiting for the rollout to start...", status.revision());
        }
        return status;
    }

    /**
     * The followed rollouts that have ended. A failing ReplicaSet list throws and leaves them all to the next poll; a
     * rollout whose current ReplicaSet the list does not show yet is left to the next poll too.
     */
    public List<FinishedRollout> ended(Collection<TrackedRollout> followed) {
        return ended(followed, Set.of());
    }

    /**
     * As {@link #ended(Collection)}.
     *
     * @param afterFailure the workloads whose previous rollout failed: a StatefulSet's new template then replaces the
     *     pods the failed one left un-ready (see {@link WorkloadRollouts})
     */
    public List<FinishedRollout> ended(Collection<TrackedRollout> followed, Set<ResourceKey> afterFailure) {
        Map<TrackedRollout, RolloutStatus> ended = new LinkedHashMap<>();
        Map<ResourceKey, Map<String, Object>> deployments = new LinkedHashMap<>();
        List<FinishedRollout> done = new ArrayList<>(workloads.ended(
                followed.stream()
                        .filter(t -> !ObjectReadiness.isDeployment(t.deployment()))
                        .toList(),
                afterFailure));
        for (TrackedRollout t : followed) {
            if (!ObjectReadiness.isDeployment(t.deployment())) {
                continue;
            }
            var deployment = live.isStale(t.deployment())
                    ? Optional.<Map<String, Object>>empty()
                    : live.get(DEPLOYMENT_API, t.deployment());
            if (deployment.isPresent()) {
                RolloutStatus status = statusOf(Optional.of(t), t.deployment(), deployment.get());
                if (status.state() != RolloutState.PROGRESSING) {
                    ended.put(t, status);
                    deployments.put(t.deployment(), deployment.get());
                }
            }
        }
        Map<String, Long> endedPerNamespace = new LinkedHashMap<>();
        ended.keySet().forEach(t -> endedPerNamespace.merge(t.deployment().namespace(), 1L, Long::sum));
        Map<String, Map<String, List<ReplicaSetInfo>>> byNamespace = new LinkedHashMap<>();
        ended.forEach((t, status) -> {
            ResourceKey key = t.deployment();
            // One rollout ending: a list by its selector. Many in one namespace (a bulk commit): one list selecting
            // all of theirs.
            Map<String, Object> deployment = deployments.get(key);
            List<ReplicaSetInfo> owned = endedPerNamespace.get(key.namespace()) > 1
                    ? byNamespace
                            .computeIfAbsent(
                                    key.namespace(), ns -> replicaSets.byOwner(ns, selectorsIn(deployments, ns)))
                            .getOrDefault(key.name(), List.of())
                    : replicaSets.ownedBy(key.namespace(), key.name(), ReplicaSetLister.selectorOf(deployment));
            currentReplicaSet(deployment, status, owned).ifPresent(rs -> done.add(finish(t, status, rs.name())));
        });
        return done;
    }

    /** The names and selectors of the Deployments of {@code namespace} whose rollouts ended. */
    private static Map<String, Map<String, String>> selectorsIn(
            Map<ResourceKey, Map<String, Object>> ended, String namespace) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        ended.forEach((key, deployment) -> {
            if (key.namespace().equals(namespace)) {
                out.put(key.name(), ReplicaSetLister.selectorOf(deployment));
            }
        });
        return out;
    }

    /**
     * The ReplicaSet the controller runs the Deployment's template with, as the controller itself finds it: the oldest
     * one whose template equals the Deployment's (pod-template-hash aside). Its revision annotation is not needed, so a
     * list from before the controller renumbered a reused ReplicaSet still gives the right one. Empty when the list is
     * older than that ReplicaSet: the rollout is judged again at the next poll. A template that compares unequal on
     * every ReplicaSet (it should not happen) falls back to the revision number, as {@code kubectl rollout history} reads.
     */
    static Optional<ReplicaSetInfo> currentReplicaSet(
            Map<String, Object> deployment, RolloutStatus status, List<ReplicaSetInfo> owned) {
        Map<String, Object> template = Tree.map(deployment, "spec", "template");
        return owned.stream()
                .filter(rs -> Tree.sameValue(rs.template(), template))
                .findFirst()
                .or(() -> owned.stream()
                        .filter(rs -> rs.revision() == status.revision())
                        .findFirst());
    }

    private static FinishedRollout finish(TrackedRollout t, RolloutStatus status, String rsName) {
        boolean reused = t.change().reuses().map(r -> r.name().equals(rsName)).orElse(false);
        return new FinishedRollout(t, status, rsName, reused, result(t, status, reused));
    }

    /**
     * ", automatic: rollout of c9c249b failed" for Lockstep's own revert of a failed rollout (of a Deployment, and in
     * {@link WorkloadRollouts} of a StatefulSet or DaemonSet).
     */
    static String automatic(TrackedRollout t) {
        boolean auto = WriteBackTrailers.action(t.commit())
                .filter(WriteBack.REVERT_FAILED_ROLLOUT::equals)
                .isPresent();
        return auto
                ? ", automatic: rollout of "
                        + t.reverts().map(Revision::shortSha).orElse("?") + " failed"
                : "";
    }

    private static String result(TrackedRollout t, RolloutStatus status, boolean reused) {
        if (status.state() == RolloutState.FAILED) {
            return "failed";
        }
        if (t.change().rollback()) {
            long to = t.change().reuses().get().revision();
            return reused
                    ? "rolled back to " + to + automatic(t)
                    : "rolled out (expected to reuse revision " + to + ", the controller made a new ReplicaSet)";
        }
        return t.reverts()
                .map(sha -> "rolled out (reverts " + Revision.shortSha(sha)
                        + "; its ReplicaSet was already removed by revisionHistoryLimit, so a new one was made)")
                .orElse("rolled out");
    }
}
