package dev.lockstep.reconcile.pass;

import dev.lockstep.cluster.AppRecords;
import dev.lockstep.config.AppSpec;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.PruneHold;
import dev.lockstep.plan.Pruner;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes a held prune once a person confirmed it ({@code allowMassPrune}, or the confirm annotation on the app's
 * record naming this hold), without waiting for a new commit. Reads the annotation only while something is held.
 */
final class ReleaseHeldPrune implements Step {
    private final AppSpec app;
    private final Pruner pruner;
    private final AppRecords records;

    ReleaseHeldPrune(AppSpec app, Pruner pruner, AppRecords records) {
        this.app = app;
        this.pruner = pruner;
        this.records = records;
    }

    @Override
    public StepResult run(Pass pass) {
        AppRecord record = pass.state().record();
        PruneHold hold = record.pruneHold();
        if (pass.mode() != Pass.Mode.RECONCILE || hold.isEmpty() || !app.prune()) {
            return new StepResult.Continue(pass);
        }
        boolean confirmed = app.allowMassPrune()
                || records.pruneConfirmation(app.name())
                        .filter(hold.token()::equals)
                        .isPresent();
        if (!confirmed) {
            return new StepResult.Continue(pass);
        }
        Pruner.PruneResult pruned = pruner.release(app.name(), hold);
        // deleted, or moved to another app meanwhile: either way no longer this app's
        Set<InventoryEntry> gone = new HashSet<>(hold.objects());
        gone.removeAll(pruned.kept());
        List<InventoryEntry> inventory =
                record.inventory().stream().filter(e -> !gone.contains(e)).toList();
        List<Fact> facts = pruned.deleted().stream()
                .<Fact>map(e -> new Fact.ObjectPruned(e.key(), e.apiVersion()))
                .toList();
        AppRecord released = record.withInventory(inventory).withPruneHold(PruneHold.NONE);
        return new StepResult.Continue(
                pass.withState(pass.state().withRecord(released)).with(facts));
    }
}
