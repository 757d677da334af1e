package dev.lockstep.rollout;

import dev.lockstep.cluster.ControllerRevisions;
import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.cluster.ReplicaSetLister;
import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.util.Tree;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges the followed rollouts of StatefulSets, DaemonSets and Jobs ({@link RolloutTracker} keeps Deployments). A
 * StatefulSet's or DaemonSet's revision is a ControllerRevision: listed once when its rollout ends, to name the
 * revision and tell whether the controller reused the one the commit's template brought back (a rollback). The
 * controller leaves a reused ControllerRevision's annotations as the first commit wrote them, so Lockstep then writes
 * the reverting commit's annotations onto it (metadata only), and {@code kubectl rollout history} names that commit.
 */
final class WorkloadRollouts {
    private static final Logger log = LoggerFactory.getLogger(WorkloadRollouts.class);
    private final LiveObjects live;
    private final ControllerRevisions revisions;
    private final Clock clock;

    WorkloadRollouts(LiveObjects live, ControllerRevisions revisions, Clock clock) {
        this.live = live;
        this.revisions = revisions;
        this.clock = clock;
    }

    RolloutStatus statusOf(Optional<TrackedRollout> tracked, ResourceKey key, Map<String, Object> object) {
        RolloutStatus status = ObjectReadiness.of(key, object)
                .orElse(new RolloutStatus(RolloutState.HEALTHY, key.kind() + " \"" + key.name() + "\" applied", 0));
        if (tracked.isEmpty()) {
            return status;
        }
        if (status.state() == RolloutState.HEALTHY && live.isStale(key)) {
            return new RolloutStatus(RolloutState.PROGRESSING, "Waiting for the rollout to start...", 0);
        }
        Optional<Duration> deadline = ProgressDeadline.of(key, object);
        if (status.state() == RolloutState.PROGRESSING && deadline.isPresent()) {
            Instant due = tracked.get().appliedAt().plus(deadline.get());
            if (!clock.instant().isBefore(due)) {
                return new RolloutStatus(
                        RolloutState.FAILED,
                        key.kind().toLowerCase(Locale.ROOT) + " \"" + key.name()
                                + "\" exceeded its progress deadline ("
                                + deadline.get().toSeconds() + "s): "
                                + status.message(),
                        status.revision());
            }
        }
        return status;
    }

    List<FinishedRollout> ended(Collection<TrackedRollout> followed) {
        return ended(followed, Set.of());
    }

    /** @param afterFailure the workloads whose previous rollout failed */
    List<FinishedRollout> ended(Collection<TrackedRollout> followed, Set<ResourceKey> afterFailure) {
        List<FinishedRollout> done = new ArrayList<>();
        for (TrackedRollout t : followed) {
            ResourceKey key = t.deployment();
            Optional<Map<String, Object>> object =
                    live.isStale(key) ? Optional.empty() : live.get(ObjectReadiness.apiVersionOf(key), key);
            if (object.isEmpty()) {
                continue;
            }
            RolloutStatus status = statusOf(Optional.of(t), key, object.get());
            if (status.state() != RolloutState.PROGRESSING) {
                done.add(finish(t, status, object.get()));
            } else {
                replaceBrokenPods(t, object.get(), afterFailure.contains(key));
            }
        }
        return done;
    }

    /**
     * With the OrderedReady policy the StatefulSet controller waits for a broken pod to become Ready before it replaces
     * it, so after a template fix it never does. Kubernetes documents deleting those pods as the step after reverting
     * or fixing the template: done here for a rollback once the controller moved to the reused revision, and for any
     * new template applied after the set's previous rollout failed once the controller has taken it up. Only pods that
     * are not Ready and not at the update revision go; the controller re-creates them at it.
     */
    private void replaceBrokenPods(TrackedRollout t, Map<String, Object> sts, boolean afterFailure) {
        ResourceKey key = t.deployment();
        if (!key.kind().equals("StatefulSet") || !(t.change().rollback() || afterFailure) || !waitsOnBrokenPods(sts)) {
            return;
        }
        String updateRevision = Tree.string(sts, "status", "updateRevision").orElse("");
        String why;
        if (t.change().rollback()) {
            if (!updateRevision.equals(t.change().reuses().get().name())) {
                return; // the controller has not moved to the reused revision yet
            }
            why = "rollback to " + updateRevision;
        } else {
            long generation = Tree.number(sts, "metadata", "generation").orElse(0L);
            long observed = Tree.number(sts, "status", "observedGeneration").orElse(0L);
            long partition = Tree.number(sts, "spec", "updateStrategy", "rollingUpdate", "partition")
                    .orElse(0L);
            if (updateRevision.isEmpty() || observed < generation || partition > 0) {
                return; // the update revision is not yet the new template's (or pods below a partition stay behind)
            }
            why = "new template " + updateRevision + " after a failed rollout";
        }
        List<String> deleted =
                revisions.deleteUnreadyPodsNotAt(key.namespace(), ReplicaSetLister.selectorOf(sts), updateRevision);
        if (!deleted.isEmpty()) {
            log.info(
                    "{}: {}: deleted un-ready pods {} (not at {}) so the controller re-creates them at it",
                    key,
                    why,
                    deleted,
                    updateRevision);
        }
    }

    /** An OrderedReady, RollingUpdate StatefulSet with fewer Ready pods than it has. */
    private static boolean waitsOnBrokenPods(Map<String, Object> sts) {
        String policy = Tree.string(sts, "spec", "podManagementPolicy").orElse("OrderedReady");
        String strategy = Tree.string(sts, "spec", "updateStrategy", "type").orElse("RollingUpdate");
        long ready = Tree.number(sts, "status", "readyReplicas").orElse(0L);
        long replicas = Tree.number(sts, "status", "replicas").orElse(0L);
        return policy.equals("OrderedReady") && strategy.equals("RollingUpdate") && ready < replicas;
    }

    private FinishedRollout finish(TrackedRollout t, RolloutStatus status, Map<String, Object> object) {
        ResourceKey key = t.deployment();
        if (!ObjectReadiness.hasControllerRevisions(key)) {
            return new FinishedRollout(t, status, "", false, result(t, status, false, ""));
        }
        List<ControllerRevisionInfo> owned =
                revisions.ownedBy(key.namespace(), key.kind(), key.name(), ReplicaSetLister.selectorOf(object));
        Optional<ControllerRevisionInfo> current = CurrentRevision.of(object, owned);
        String name = current.map(ControllerRevisionInfo::name).orElse("");
        long revision = current.map(ControllerRevisionInfo::revision).orElse(0L);
        boolean reused = t.change().reuses().map(r -> r.name().equals(name)).orElse(false);
        if (reused) {
            revisions.annotate(key.namespace(), name, commitAnnotations(object));
        }
        RolloutStatus numbered = new RolloutStatus(status.state(), status.message(), revision);
        return new FinishedRollout(t, numbered, name, reused, result(t, numbered, reused, name));
    }

    /** Lockstep's commit annotations as the apply put them on the object's metadata. */
    private static Map<String, String> commitAnnotations(Map<String, Object> object) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Object> annotations = Tree.map(object, "metadata", "annotations");
        for (String k : MetadataKeys.COMMIT_KEYS) {
            Object v = annotations.get(k);
            if (v != null) {
                out.put(k, v.toString());
            }
        }
        return out;
    }

    private static String result(TrackedRollout t, RolloutStatus status, boolean reused, String name) {
        if (status.state() == RolloutState.FAILED) {
            return "failed";
        }
        if (t.change().rollback()) {
            long to = t.change().reuses().get().revision();
            return reused
                    ? "rolled back to " + to + RolloutTracker.automatic(t)
                    : "rolled out (expected to reuse revision " + to + ", the controller made " + name + ")";
        }
        return "rolled out";
    }
}
