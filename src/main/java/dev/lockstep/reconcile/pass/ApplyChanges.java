package dev.lockstep.reconcile.pass;

import dev.lockstep.model.AppRecord;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.Revision;
import dev.lockstep.plan.Applier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the plan, stage by stage; a Helm hook stage's Jobs and Pods must end within the chart's {@code timeout}
 * before the next stage (a failed or late hook stalls the commit). When a later stage fails, what earlier stages created is added to the inventory at
 * once, so a later commit that drops those objects still prunes them.
 */
final class ApplyChanges implements Step {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ApplyChanges.class);
    private final Applier applier;
    private final Duration hookTimeout;

    /** @param hookTimeout the app's {@code render.helm.timeout}: as {@code helm upgrade --timeout}, it bounds hooks */
    ApplyChanges(Applier applier, Duration hookTimeout) {
        this.applier = applier;
        this.hookTimeout = hookTimeout;
    }

    @Override
    public StepResult run(Pass pass) {
        Revision commit = pass.requireCommit();
        Applier.ApplyResult result = applier.apply(pass.requirePlan(), hookTimeout);
        result.applied()
                .forEach(a -> a.change()
                        .adopting()
                        .ifPresent(adopting -> log.info("{}: {}", a.change().key(), adopting.describe())));
        List<Fact> applied = result.applied().stream()
                .<Fact>map(a -> new Fact.ObjectApplied(
                        a.change().key(),
                        a.change().apiVersion(),
                        commit,
                        a.change().live().isEmpty()))
                .toList();
        Pass out = pass.with(applied).withApplied(result.applied());
        if (result.ok()) {
            return new StepResult.Continue(out);
        }
        out = out.withState(out.state().withRecord(withCreated(out.state().record(), result.applied())));
        List<String> errors = result.errors().stream()
                .map(e -> "commit " + commit.shortSha() + ": " + e)
                .toList();
        // RBAC refused an object the plan did not dry-run (unchanged since this process wrote it)
        if (result.forbidden()) {
            return new StepResult.Stalled(out.with(new Fact.WriteForbidden(commit, errors)), errors);
        }
        return result.retryable()
                ? new StepResult.Retry(out, "apply failed, will retry: " + String.join("; ", result.errors()))
                : new StepResult.Stalled(out, errors);
    }

    /** The record, still at its commit, with the objects this partial apply created added to the inventory. */
    private static AppRecord withCreated(AppRecord record, List<Applier.Applied> applied) {
        Set<InventoryEntry> inventory = new LinkedHashSet<>(record.inventory());
        applied.stream()
                .filter(a -> a.change().live().isEmpty())
                .forEach(a -> inventory.add(
                        new InventoryEntry(a.change().key(), a.change().apiVersion())));
        return record.withInventory(new ArrayList<>(inventory));
    }
}
