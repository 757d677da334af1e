package dev.lockstep.reconcile;

import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.AppRecord;
import dev.lockstep.cluster.AppRecordStore;
import dev.lockstep.cluster.ClusterException;
import dev.lockstep.cluster.ClusterWriter;
import dev.lockstep.cluster.LiveCache;
import dev.lockstep.cluster.ReplicaSets;
import dev.lockstep.config.AppSpec;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.model.Revision;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.manifest.KindScopes;
import dev.lockstep.model.Manifest;
import dev.lockstep.manifest.ManifestLoader;
import dev.lockstep.manifest.ParseResult;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.SourceFile;
import dev.lockstep.plan.Applier;
import dev.lockstep.plan.Change;
import dev.lockstep.plan.Plan;
import dev.lockstep.plan.PlanResult;
import dev.lockstep.plan.Planner;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass for one app: git head → manifests → plan (dry run) → staged apply → prune → follow rollouts.
 * Each step hands a plain value to the next; this class only decides order and what a failure means.
 * Not thread-safe: the loop runs one pass of an app at a time. {@link #status()} may be read from anywhere.
 */
public final class AppReconciler {
    private static final Logger log = LoggerFactory.getLogger(AppReconciler.class);

    private final AppSpec spec;
    private final GitSource git;
    private final ManifestLoader loader;
    private final KindScopes scopes;
    private final Planner planner;
    private final Applier applier;
    private final Pruner pruner;
    private final AppRecordStore store;
    private final LiveCache cache;
    private final ReconcileListener listener;
    private final Clock clock;
    private final DriftCheck drift;
    private final RolloutFollower rollouts;

    private AppRecord record;
    private Revision applied;
    private String stalledCommit;
    private List<String> errors = List.of();
    private AppHealth problem;
    private String problemMessage = "";
    private volatile AppStatus status;
    /** Set by the watch on any change of a managed object; the status is only recomputed when something moved. */
    private volatile boolean liveChanged = true;

    public AppReconciler(AppSpec spec, GitSource git, ManifestLoader loader, KindScopes scopes, Planner planner,
                         Applier applier, Pruner pruner, AppRecordStore store, LiveCache cache,
                         ClusterWriter writer, ReplicaSets replicaSets,
                         ReconcileListener listener, Clock clock) {
        this.spec = spec;
        this.git = git;
        this.loader = loader;
        this.scopes = scopes;
        this.planner = planner;
        this.applier = applier;
        this.pruner = pruner;
        this.store = store;
        this.cache = cache;
        this.listener = listener;
        this.clock = clock;
        this.drift = new DriftCheck(writer, cache);
        this.rollouts = new RolloutFollower(cache, replicaSets);
        this.status = AppStatus.unknown(spec.name());
        cache.onChange(key -> liveChanged = true);
    }

    public AppSpec spec() {
        return spec;
    }

    public AppStatus status() {
        return status;
    }

    public PassOutcome reconcile() {
        Instant start = clock.instant();
        PassOutcome outcome;
        try {
            outcome = pass();
        } catch (ClusterException e) {
            fail(AppHealth.ERROR, "cluster: " + e.getMessage());
            outcome = PassOutcome.RETRY;
        } catch (RuntimeException e) {
            log.error("app {}: unexpected failure", spec.name(), e);
            fail(AppHealth.ERROR, "internal error: " + e);
            outcome = PassOutcome.RETRY;
        }
        followRollouts();
        publishStatus();
        listener.passFinished(spec.name(), outcome, Duration.between(start, clock.instant()));
        return outcome;
    }

    private PassOutcome pass() {
        if (record == null) {
            record = store.load(spec.name()).orElse(AppRecord.EMPTY);
        }
        String head;
        try {
            head = git.remoteHead();
        } catch (GitSourceException e) {
            listener.gitError(spec.name(), e.getMessage());
            fail(AppHealth.ERROR, "git: " + e.getMessage() + " (the cluster stays at the last applied commit; nothing is pruned)");
            return PassOutcome.RETRY;
        }
        if (head.equals(stalledCommit)) {
            if (drift.knows()) {
                checkDrift();
            }
            return PassOutcome.STALLED;
        }
        if (applied != null && head.equals(applied.commit()) && drift.knows()) {
            clearProblem();
            return checkDrift() ? PassOutcome.APPLIED : PassOutcome.UNCHANGED;
        }
        Checkout checkout;
        try {
            checkout = checkout();
        } catch (GitSourceException e) {
            listener.gitError(spec.name(), e.getMessage());
            fail(AppHealth.ERROR, "git: " + e.getMessage() + " (the cluster stays at the last applied commit; nothing is pruned)");
            return PassOutcome.RETRY;
        }
        Revision commit = checkout.commit();
        Optional<List<SourceFile>> files = checkout.files();
        if (files.isEmpty()) {
            return stall(commit, List.of("path '" + spec.path() + "' does not exist at commit " + commit.shortSha()
                    + ": nothing applied, nothing pruned (" + record.inventory().size() + " objects kept)"));
        }
        ParseResult parsed = loader.load(files.get(), spec.namespacePolicy(), scopes);
        if (!parsed.ok()) {
            return stall(commit, parsed.errors().stream().map(e -> "commit " + commit.shortSha() + ": " + e).toList());
        }
        List<Manifest> manifests = parsed.manifests();
        if (manifests.isEmpty() && !record.inventory().isEmpty()) {
            String reason = "commit " + commit.shortSha() + " has no objects under '" + spec.path() + "': refusing to prune the "
                    + record.inventory().size() + " objects of the last good commit";
            listener.pruneRefused(spec.name(), reason, null);
            return stall(commit, List.of(reason));
        }
        return applyRevision(commit, manifests);
    }

    /** What a pass would do at the remote head, without writing anything (for {@code lockstep diff}). */
    public Preview preview() {
        if (record == null) {
            record = store.load(spec.name()).orElse(AppRecord.EMPTY);
        }
        Checkout checkout;
        try {
            checkout = checkout();
        } catch (GitSourceException e) {
            return new Preview(null, Optional.empty(), List.of("git: " + e.getMessage()));
        }
        Revision commit = checkout.commit();
        Optional<List<SourceFile>> files = checkout.files();
        if (files.isEmpty()) {
            return new Preview(commit, Optional.empty(), List.of("path '" + spec.path() + "' does not exist at commit " + commit.shortSha()));
        }
        ParseResult parsed = loader.load(files.get(), spec.namespacePolicy(), scopes);
        if (!parsed.ok()) {
            return new Preview(commit, Optional.empty(), parsed.errors().stream().map(Object::toString).toList());
        }
        PlanResult planned = planner.plan(spec.name(), commit, parsed.manifests(), record.inventory());
        if (planned instanceof PlanResult.Ready ready) {
            return new Preview(commit, Optional.of(ready.plan()), List.of());
        }
        return new Preview(commit, Optional.empty(), planned instanceof PlanResult.Rejected r ? r.errors()
                : List.of(((PlanResult.Failed) planned).error()));
    }

    /** Fetches the branch head and reads the app's files from that commit's tree (empty: the path is missing). */
    private Checkout checkout() throws GitSourceException {
        Revision commit = git.fetch();
        return new Checkout(commit, git.readPath(commit.commit(), spec.path()));
    }

    private record Checkout(Revision commit, Optional<List<SourceFile>> files) {
    }

    /** @param plan present when the commit could be planned; {@code errors} say why not otherwise */
    public record Preview(Revision commit, Optional<Plan> plan, List<String> errors) {
    }

    private PassOutcome applyRevision(Revision commit, List<Manifest> manifests) {
        PlanResult planned = planner.plan(spec.name(), commit, manifests, record.inventory(), drift);
        if (planned instanceof PlanResult.Rejected rejected) {
            return stall(commit, rejected.errors().stream().map(e -> "commit " + commit.shortSha() + ": " + e).toList());
        }
        if (planned instanceof PlanResult.Failed failed) {
            fail(AppHealth.ERROR, "cluster: " + failed.error());
            return PassOutcome.RETRY;
        }
        Plan plan = ((PlanResult.Ready) planned).plan();
        Applier.ApplyResult result = applier.apply(plan);
        result.applied().forEach(a -> listener.applied(spec.name(), a.change().key(), a.change().apiVersion(), commit,
                a.change().live().isEmpty()));
        if (!result.ok()) {
            if (!result.retryable()) {
                return stall(commit, result.errors().stream().map(e -> "commit " + commit.shortSha() + ": " + e).toList());
            }
            fail(AppHealth.ERROR, "apply failed, will retry: " + String.join("; ", result.errors()));
            return PassOutcome.RETRY;
        }
        Pruner.PruneResult pruned = pruner.prune(spec, plan.orphans(), record.inventory().size());
        pruned.deleted().forEach(e -> listener.pruned(spec.name(), e.key(), e.apiVersion()));
        pruned.refused().ifPresent(reason -> listener.pruneRefused(spec.name(), reason, null));

        remember(plan, result);
        List<HistoryEntry> history = new ArrayList<>(record.history());
        Map<ResourceKey, Map<String, Object>> resultByKey = new LinkedHashMap<>();
        result.applied().forEach(a -> resultByKey.put(a.change().key(), a.result()));
        for (Change change : plan.changes()) {
            if (change.rollout().isEmpty() || !resultByKey.containsKey(change.key())) {
                continue;
            }
            Instant now = clock.instant();
            rollouts.follow(change.key(), commit, change.rollout().get(), now, git.revertedCommit(commit), change.live())
                    .ifPresent(previous -> history.add(previous.entry(0, "", "superseded by " + commit.shortSha())));
        }
        List<InventoryEntry> inventory = new ArrayList<>();
        manifests.forEach(m -> inventory.add(new InventoryEntry(m.key(), m.apiVersion())));
        inventory.addAll(pruned.kept());
        AppRecord updated = new AppRecord(commit.commit(), inventory, history);
        if (!updated.equals(record)) { // a restarted daemon re-planning the same commit writes nothing
            store.save(spec.name(), updated);
            record = updated;
        }
        applied = commit;
        stalledCommit = null;
        clearProblem();
        listener.commitApplied(spec.name(), commit);
        log.info("app {}: commit {} \"{}\": {} written, {} unchanged, {} pruned", spec.name(), commit.shortSha(), commit.subject(),
                plan.writeCount(), plan.changes().size() - plan.writeCount(), pruned.deleted().size());
        return plan.writeCount() > 0 || !pruned.deleted().isEmpty() ? PassOutcome.APPLIED : PassOutcome.UNCHANGED;
    }

    private void remember(Plan plan, Applier.ApplyResult result) {
        Map<ResourceKey, Map<String, Object>> written = new LinkedHashMap<>();
        result.applied().forEach(a -> written.put(a.change().key(), a.result()));
        Set<ResourceKey> keys = new HashSet<>();
        for (Change change : plan.changes()) {
            keys.add(change.key());
            Map<String, Object> view = written.getOrDefault(change.key(),
                    change.predicted().orElse(change.live().orElse(change.body())));
            drift.remember(change.key(), change.apiVersion(), change.body(), view);
        }
        drift.forgetAllBut(keys);
    }

    /** Reports drift and, with self-heal on, puts git's version back. True when something was corrected. */
    private boolean checkDrift() {
        boolean corrected = false;
        for (DriftCheck.Drift d : drift.detect()) {
            if (rollouts.following(d.key()) && !d.field().startsWith("spec.template") && !d.field().equals("(object deleted)")) {
                continue;
            }
            log.warn("app {}: drift on {}: field {} differs from git{}", spec.name(), d.key(), d.field(),
                    spec.selfHeal() ? "; restoring git's version" : " (selfHeal is off: reported only)");
            listener.drift(spec.name(), d.key(), d.field(), spec.selfHeal());
            if (spec.selfHeal()) {
                drift.heal(d);
                corrected = true;
            }
        }
        return corrected;
    }

    /**
     * Cheap (cache only, plus one ReplicaSet list per finished rollout): safe to call every second. The status is
     * recomputed only while a rollout is followed or after the watch saw a change, not on every tick.
     */
    public void refreshRollouts() {
        boolean following = rollouts.followingAny();
        if (followRollouts() || following || liveChanged) {
            publishStatus();
        }
    }

    /** Finishes the rollouts that ended: history, listeners. True when one did. */
    private boolean followRollouts() {
        List<RolloutFollower.Finished> finished;
        try {
            finished = rollouts.poll();
        } catch (ClusterException e) {
            log.warn("app {}: cannot read rollout state: {}", spec.name(), e.getMessage());
            finished = List.of();
        }
        if (!finished.isEmpty() && record != null) {
            List<HistoryEntry> history = new ArrayList<>(record.history());
            for (RolloutFollower.Finished f : finished) {
                history.add(f.entry());
                listener.rolloutFinished(spec.name(), f.rollout().deployment(), f.status(), f.rollout().commit());
                f.rollout().change().reuses().ifPresent(r -> listener.rolledBack(spec.name(), f.rollout().deployment(),
                        r.revision(), f.status().revision(), f.rollout().commit(), f.reused()));
            }
            record = new AppRecord(record.commit(), record.inventory(), history);
            try {
                store.save(spec.name(), record);
            } catch (ClusterException e) {
                log.warn("app {}: cannot save history: {}", spec.name(), e.getMessage());
            }
        }
        return !finished.isEmpty();
    }

    private PassOutcome stall(Revision commit, List<String> reasons) {
        stalledCommit = commit.commit();
        errors = reasons;
        problem = AppHealth.STALLED;
        problemMessage = "commit " + commit.shortSha() + " \"" + commit.subject() + "\" not applied; the cluster stays at "
                + (applied == null ? (record.commit().isEmpty() ? "nothing" : shortSha(record.commit())) : applied.shortSha());
        reasons.forEach(r -> log.error("app {}: {}", spec.name(), r));
        listener.rejected(spec.name(), commit, reasons);
        publishStatus();
        return PassOutcome.STALLED;
    }

    private void fail(AppHealth health, String message) {
        problem = health;
        problemMessage = message;
        errors = List.of(message);
        log.warn("app {}: {}", spec.name(), message);
        publishStatus();
    }

    private void clearProblem() {
        problem = null;
        problemMessage = "";
        errors = List.of();
    }

    private void publishStatus() {
        liveChanged = false; // before reading the cache: a change arriving meanwhile marks it again
        Map<String, RolloutStatus> deployments = new LinkedHashMap<>();
        if (record != null) {
            for (InventoryEntry e : record.inventory()) {
                if (e.key().kind().equals("Deployment")) {
                    String name = e.key().namespace() + "/" + e.key().name();
                    var live = cache.get(e.apiVersion(), e.key());
                    if (live.isPresent()) {
                        deployments.put(name, rollouts.statusOf(e.key(), live.get()));
                    } else if (rollouts.following(e.key())) {
                        // just created: the watch has not delivered it yet
                        deployments.put(name, new RolloutStatus(RolloutState.PROGRESSING,
                                "Waiting for deployment \"" + e.key().name() + "\" to be observed...", 0));
                    }
                }
            }
        }
        String commit = applied != null ? applied.commit() : record == null ? "" : record.commit();
        status = AppStatus.of(spec.name(), Optional.ofNullable(problem), problemMessage, errors, deployments, commit,
                applied == null ? "" : applied.subject(), clock.instant());
    }

    private static String shortSha(String sha) {
        return sha.substring(0, Math.min(7, sha.length()));
    }
}
