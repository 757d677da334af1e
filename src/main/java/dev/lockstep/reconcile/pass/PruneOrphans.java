package dev.lockstep.reconcile.pass;

import dev.lockstep.cluster.AppRecords;
import dev.lockstep.config.AppSpec;
import dev.lockstep.model.PruneHold;
import dev.lockstep.plan.Pruner;
import java.util.List;

/**
 * Deletes what Lockstep created and git no longer has, last, in reverse stage order, within the prune limits. What an
 * earlier refusal holds stays held (and is reported so) until a person confirms.
 */
final class PruneOrphans implements Step {
    private final AppSpec app;
    private final Pruner pruner;
    private final AppRecords records;

    PruneOrphans(AppSpec app, Pruner pruner, AppRecords records) {
        this.app = app;
        this.pruner = pruner;
        this.records = records;
    }

    @Override
    public StepResult run(Pass pass) {
        PruneHold hold = pass.state().record().pruneHold();
        boolean confirmed = !hold.isEmpty()
                && records.pruneConfirmation(app.name())
                        .filter(hold.token()::equals)
                        .isPresent();
        Pruner.PruneResult pruned = pruner.prune(
                app,
                pass.requirePlan().orphans(),
                pass.state().record().inventory().size(),
                hold,
                confirmed,
                pass.requireCommit().commit());
        List<Fact> facts = pruned.deleted().stream()
                .<Fact>map(e -> new Fact.ObjectPruned(e.key(), e.apiVersion()))
                .toList();
        Pass out = pass.with(facts)
                .withKept(pruned.kept())
                .withState(pass.state().withRecord(pass.state().record().withPruneHold(pruned.hold())));
        if (pruned.refused().isPresent()) {
            out = out.with(new Fact.PruneRefused(pruned.refused().get()));
        } else if (!pruned.hold().isEmpty()) {
            out = out.with(new Fact.PruneHeld(HeldPrune.describe(app, pruned.hold())));
        }
        return new StepResult.Continue(out);
    }
}
