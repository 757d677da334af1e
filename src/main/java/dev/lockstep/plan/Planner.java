package dev.lockstep.plan;

import dev.lockstep.cluster.ClusterException;
import dev.lockstep.cluster.ControllerRevisions;
import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.cluster.ObjectApi;
import dev.lockstep.cluster.ReplicaSetLister;
import dev.lockstep.history.CommitAnnotations;
import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.TemplateChange;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.util.Tree;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Desired vs live: dry-runs every object of a revision on the server (concurrently), compares the server's
 * answer with the cached live object, and decides per object create / update / unchanged. Nothing is written.
 * Only a {@link ClusterException} is a cluster failure; any other exception is a bug and is thrown as it is.
 */
public final class Planner {
    private final ObjectApi objects;
    private final LiveObjects cache;
    private final ReplicaSetLister replicaSets;
    private final ControllerRevisions controllerRevisions;
    private final Executor pool;
    private final Clock clock;

    public Planner(
            ObjectApi objects,
            LiveObjects cache,
            ReplicaSetLister replicaSets,
            ControllerRevisions controllerRevisions,
            Executor pool,
            Clock clock) {
        this.objects = objects;
        this.cache = cache;
        this.replicaSets = replicaSets;
        this.controllerRevisions = controllerRevisions;
        this.pool = pool;
        this.clock = clock;
    }

    /**
     * @param prior    objects whose body did not change since this process applied it, and whose live state still
     *                 matches, skip the dry run (a docs-only commit then costs no request per object)
     * @param adoption whose fields to take over on objects that already exist (see {@link FieldAdoption})
     */
    public PlanResult plan(
            String app,
            Revision commit,
            List<Manifest> manifests,
            List<InventoryEntry> inventory,
            PriorApply prior,
            FieldAdoption adoption) {
        return plan(app, commit, "", manifests, inventory, prior, adoption);
    }

    /** @param renderedBy the engine that rendered the commit ({@code kustomize v5.5.0}), "" for plain files */
    public PlanResult plan(
            String app,
            Revision commit,
            String renderedBy,
            List<Manifest> manifests,
            List<InventoryEntry> inventory,
            PriorApply prior,
            FieldAdoption adoption) {
        Set<String> kindsDefinedHere = crdKinds(manifests);
        List<String> rejected = new ArrayList<>();
        try {
            for (Manifest m : manifests) {
                if (!kindsDefinedHere.contains(m.key().group() + "/" + m.key().kind())) {
                    watchOrReject(m, rejected);
                }
            }
            for (InventoryEntry entry : inventory) {
                try {
                    cache.watch(entry.apiVersion(), entry.key().kind());
                } catch (ClusterException e) {
                    if (!notServed(e)) {
                        throw e; // a slow or failing watch hides orphans (and their prune opt-out): plan again later
                    }
                    // A kind that vanished (CRD deleted) cannot hold orphans any more; nothing to prune there.
                }
            }
        } catch (ClusterException e) {
            return new PlanResult.Failed(e.getMessage());
        }
        if (!rejected.isEmpty()) {
            return new PlanResult.Rejected(rejected);
        }
        Set<String> newNamespaces = newNamespaces(manifests);
        Set<ResourceKey> hpaTargets = hpaTargets(manifests);
        List<CompletableFuture<Change>> futures = manifests.stream()
                .map(m -> CompletableFuture.supplyAsync(
                        () -> change(
                                app,
                                commit,
                                renderedBy,
                                m,
                                newNamespaces,
                                kindsDefinedHere,
                                hpaTargets,
                                prior,
                                adoption),
                        pool))
                .toList();
        List<Change> changes = new ArrayList<>();
        List<String> forbidden = new ArrayList<>();
        String retryable = null;
        for (int i = 0; i < futures.size(); i++) {
            try {
                changes.add(futures.get(i).join());
            } catch (CompletionException e) {
                ClusterException failure = ClusterException.expected(e.getCause()); // anything else is a bug: thrown
                String located = manifests.get(i).location() + ": " + failure.getMessage();
                if (failure.status() == 403) {
                    forbidden.add(located);
                } else if (failure.retryable()) {
                    retryable = located;
                } else {
                    rejected.add(located);
                }
            }
        }
        if (!forbidden.isEmpty()) {
            forbidden.addAll(rejected);
            return new PlanResult.Forbidden(forbidden);
        }
        if (!rejected.isEmpty()) {
            return new PlanResult.Rejected(rejected);
        }
        if (retryable != null) {
            return new PlanResult.Failed(retryable);
        }
        Set<ResourceKey> desired = new HashSet<>();
        manifests.forEach(m -> desired.add(m.key()));
        List<InventoryEntry> orphans =
                inventory.stream().filter(e -> !desired.contains(e.key())).toList();
        return new PlanResult.Ready(new Plan(changes, orphans));
    }

    private void watchOrReject(Manifest m, List<String> rejected) {
        try {
            cache.watch(m.apiVersion(), m.key().kind());
        } catch (ClusterException e) {
            if (notServed(e)) {
                rejected.add(m.location() + ": the cluster does not serve kind "
                        + m.key().kind() + " in " + m.apiVersion());
            } else {
                throw e;
            }
        }
    }

    private static boolean notServed(ClusterException e) {
        return e.status() == 404 || (e.getMessage() != null && e.getMessage().contains("not found"));
    }

    private Change change(
            String app,
            Revision commit,
            String renderedBy,
            Manifest m,
            Set<String> newNamespaces,
            Set<String> kindsDefinedHere,
            Set<ResourceKey> hpaTargets,
            PriorApply prior,
            FieldAdoption adoption) {
        ResourceKey key = m.key();
        boolean deployment = ObjectReadiness.isDeployment(key);
        // Deployments, StatefulSets and DaemonSets: their revisions carry the commit that made them.
        boolean revisioned = deployment || ObjectReadiness.hasControllerRevisions(key);
        Map<String, Object> body = ApplyBody.of(m, app, hpaTargets.contains(key));
        Optional<Map<String, Object>> live = cache.get(m.apiVersion(), key);
        if (revisioned && live.isPresent()) {
            annotations(body).putAll(CommitAnnotations.carried(Tree.map(live.get(), "metadata", "annotations")));
        }
        boolean predictable =
                !newNamespaces.contains(key.namespace()) && !kindsDefinedHere.contains(key.group() + "/" + key.kind());
        Optional<FieldAdoption.Takeover> takeover =
                live.flatMap(l -> adoption.takeover(l, body, objects.fieldManager(), clock.instant()));
        Optional<Map<String, Object>> predicted;
        if (live.isPresent() && HookRecreation.applies(m)) {
            // deleted and created anew by the applier: a dry run against the old object would judge the wrong thing
            predicted = Optional.empty();
            takeover = Optional.empty();
        } else if (live.isPresent() && takeover.isEmpty() && prior.unchanged(key, body, live.get())) {
            predicted =
                    live; // same body as last time and nothing drifted: the server's answer would be the live object
        } else {
            predicted = predictable ? Optional.of(objects.dryRunApply(key, body)) : Optional.empty();
        }
        if (live.isEmpty() && predicted.isPresent()) {
            // Not in the watch cache (no Lockstep label) yet the dry run shows other managers' fields: the object
            // exists, made by kubectl or another tool. The dry run's answer before the takeover stands in for it.
            takeover = adoption.takeover(predicted.get(), body, objects.fieldManager(), clock.instant());
            if (takeover.isPresent()) {
                live = predicted;
            }
        }
        Optional<FieldAdoption.Adopting> adopting = Optional.empty();
        if (takeover.isPresent() && predicted.isPresent()) {
            Map<String, Object> applied = predicted.get();
            predicted = Optional.of(afterTakeover(key, m.apiVersion(), takeover.get(), applied));
            adopting = Optional.of(
                    new FieldAdoption.Adopting(takeover.get(), takeover.get().removed(applied, predicted.get())));
        }
        Action action = live.isEmpty()
                ? Action.CREATE
                : predicted.isEmpty() || !LiveComparison.same(predicted.get(), live.get()) || takeover.isPresent()
                        ? Action.UPDATE
                        : Action.UNCHANGED;
        Optional<TemplateChange> rollout = Optional.empty();
        boolean templateChanges =
                live.isEmpty() || predicted.isEmpty() || !LiveComparison.sameTemplate(predicted.get(), live.get());
        if (revisioned && templateChanges) {
            TemplateChange change = new TemplateChange(
                    live.isPresent() && predicted.isPresent()
                            ? deployment
                                    ? reusedReplicaSet(
                                            replicaSets.ownedBy(
                                                    key.namespace(),
                                                    key.name(),
                                                    ReplicaSetLister.selectorOf(predicted.get())),
                                            predicted.get())
                                    : reusedControllerRevision(key, predicted.get())
                            : Optional.empty());
            Map<String, Object> annotations = annotations(body);
            CommitAnnotations.KEYS.forEach(annotations::remove);
            annotations.putAll(CommitAnnotations.of(commit, change, clock.instant(), renderedBy));
            rollout = Optional.of(change);
            action = live.isEmpty() ? Action.CREATE : Action.UPDATE;
        } else if (ObjectReadiness.isJob(key) && templateChanges) {
            rollout = Optional.of(new TemplateChange(Optional.empty())); // followed to Complete or Failed; no history
        }
        return new Change(m, action, body, predicted, live, rollout, adopting);
    }

    /**
     * The server's answer once the takeover's fields are Lockstep's: without the fields only the taken-over managers
     * held, then defaulted again by a dry-run update (a field the server defaults, such as imagePullPolicy, comes back).
     */
    private Map<String, Object> afterTakeover(
            ResourceKey key, String apiVersion, FieldAdoption.Takeover takeover, Map<String, Object> applied) {
        Map<String, Object> stripped = takeover.withoutAdoptedOnly(applied, objects.fieldManager());
        if (Tree.sameValue(stripped, applied)) {
            return applied;
        }
        Tree.ensureMap(stripped, "metadata").remove("managedFields");
        return objects.dryRunReplace(key, apiVersion, stripped);
    }

    /** The oldest ReplicaSet whose template equals the new one: the controller will reuse it (a rollback). */
    private static Optional<TemplateChange.ReusedReplicaSet> reusedReplicaSet(
            List<ReplicaSetInfo> owned, Map<String, Object> predicted) {
        Map<String, Object> template = Tree.map(predicted, "spec", "template");
        for (ReplicaSetInfo rs : owned) {
            if (Tree.sameValue(rs.template(), template)) {
                return Optional.of(new TemplateChange.ReusedReplicaSet(
                        rs.name(), rs.revision(), rs.annotations().getOrDefault(MetadataKeys.COMMIT, "")));
            }
        }
        return Optional.empty();
    }

    /**
     * The ControllerRevision whose template equals the new one: the StatefulSet or DaemonSet controller will give it
     * the next revision number instead of making a new one (verified on 1.20: it keeps its old annotations).
     */
    private Optional<TemplateChange.ReusedReplicaSet> reusedControllerRevision(
            ResourceKey key, Map<String, Object> predicted) {
        Map<String, Object> template = Tree.map(predicted, "spec", "template");
        List<ControllerRevisionInfo> owned = controllerRevisions.ownedBy(
                key.namespace(), key.kind(), key.name(), ReplicaSetLister.selectorOf(predicted));
        for (int i = owned.size() - 1; i >= 0; i--) {
            ControllerRevisionInfo cr = owned.get(i);
            if (Tree.sameValue(cr.template(), template)) {
                return Optional.of(new TemplateChange.ReusedReplicaSet(
                        cr.name(), cr.revision(), cr.annotations().getOrDefault(MetadataKeys.COMMIT, "")));
            }
        }
        return Optional.empty();
    }

    private static Map<String, Object> annotations(Map<String, Object> body) {
        return Tree.ensureMap(body, "metadata", "annotations");
    }

    private Set<String> newNamespaces(List<Manifest> manifests) {
        Set<String> out = new LinkedHashSet<>();
        for (Manifest m : manifests) {
            if (m.key().kind().equals("Namespace")
                    && m.key().group().isEmpty()
                    && cache.get(m.apiVersion(), m.key()).isEmpty()) {
                out.add(m.key().name());
            }
        }
        return out;
    }

    private static Set<String> crdKinds(List<Manifest> manifests) {
        Set<String> out = new HashSet<>();
        for (Manifest m : manifests) {
            if (m.key().kind().equals("CustomResourceDefinition")) {
                String group = Tree.string(m.body(), "spec", "group").orElse("");
                Tree.string(m.body(), "spec", "names", "kind").ifPresent(kind -> out.add(group + "/" + kind));
            }
        }
        return out;
    }

    private static Set<ResourceKey> hpaTargets(List<Manifest> manifests) {
        Set<ResourceKey> out = new HashSet<>();
        for (Manifest m : manifests) {
            if (m.key().kind().equals("HorizontalPodAutoscaler")) {
                Map<String, Object> ref = Tree.map(m.body(), "spec", "scaleTargetRef");
                String apiVersion = Tree.string(ref, "apiVersion").orElse("apps/v1");
                Tree.string(ref, "kind")
                        .ifPresent(kind -> Tree.string(ref, "name")
                                .ifPresent(name -> out.add(
                                        ResourceKey.of(apiVersion, kind, m.key().namespace(), name))));
            }
        }
        return out;
    }
}
