package dev.lockstep.reconcile.pass;

import dev.lockstep.model.AppRecord;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.plan.Applier;
import dev.lockstep.plan.Change;
import dev.lockstep.plan.Expectation;
import dev.lockstep.plan.Fingerprint;
import dev.lockstep.plan.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The commit is applied: the new record (commit, inventory, history) and what every object should now look like, for
 * the drift check. The record is saved after the pass, only if it changed.
 */
final class RecordState implements Step {
    @Override
    public StepResult run(Pass pass) {
        Revision commit = pass.requireCommit();
        Plan plan = pass.requirePlan();
        AppRecord before = pass.state().record();
        List<InventoryEntry> inventory = new ArrayList<>();
        pass.manifests().forEach(m -> inventory.add(new InventoryEntry(m.key(), m.apiVersion())));
        inventory.addAll(pass.kept());
        List<HistoryEntry> history = new ArrayList<>(before.history());
        history.addAll(pass.superseded());
        Map<ResourceKey, Expectation> expectations = expectations(plan, pass.applied());
        AppRecord record = new AppRecord(
                commit.commit(),
                inventory,
                history,
                before.writeBacks(),
                before.pruneHold(),
                fingerprints(
                        plan, expectations, before.fingerprints(), pass.state().expectations()),
                before.following(),
                before.notified());
        long pruned = pass.facts().stream()
                .filter(f -> f instanceof Fact.ObjectPruned)
                .count();
        Fact applied = new Fact.CommitApplied(
                commit, plan.writeCount(), plan.changes().size() - plan.writeCount(), (int) pruned);
        return new StepResult.Done(pass.withState(pass.state().at(record, commit.subject(), expectations))
                .with(applied));
    }

    /**
     * What a new process needs to trust the watch cache instead of dry-running (see {@link Fingerprint}). An object the
     * planner skipped on the record's fingerprint keeps it without a second digest: its server view is the live object
     * itself (the planner's answer when the fingerprint matched), and the digest of that body with that live object's
     * projection is the one the planner just compared equal.
     */
    private static Map<ResourceKey, String> fingerprints(
            Plan plan,
            Map<ResourceKey, Expectation> expectations,
            Map<ResourceKey, String> kept,
            Map<ResourceKey, Expectation> knownBefore) {
        Map<ResourceKey, String> out = new HashMap<>();
        Set<ResourceKey> skippedOnRecord = new HashSet<>();
        for (Change change : plan.changes()) {
            boolean liveAsAnswer = change.predicted().isPresent()
                    && change.live().isPresent()
                    && change.predicted().get() == change.live().get();
            if (liveAsAnswer && !change.writes() && !knownBefore.containsKey(change.key())) {
                skippedOnRecord.add(change.key());
            }
        }
        expectations.forEach((key, exp) -> {
            String reused = skippedOnRecord.contains(key) ? kept.get(key) : null;
            out.put(key, reused != null ? reused : Fingerprint.of(exp.body(), exp.projection()));
        });
        return out;
    }

    /** Per object, the body sent and the server's view of it: its answer to the write, else its prediction, else live. */
    private static Map<ResourceKey, Expectation> expectations(Plan plan, List<Applier.Applied> applied) {
        Map<ResourceKey, Map<String, Object>> written = new HashMap<>();
        applied.forEach(a -> written.put(a.change().key(), a.result()));
        Map<ResourceKey, Expectation> out = new HashMap<>();
        for (Change change : plan.changes()) {
            Map<String, Object> view = written.getOrDefault(
                    change.key(), change.predicted().orElse(change.live().orElse(change.body())));
            out.put(change.key(), Expectation.of(change.apiVersion(), change.body(), view));
        }
        return out;
    }
}
