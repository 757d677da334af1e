package dev.lockstep.reconcile;

import dev.lockstep.config.AppSpec;
import dev.lockstep.plan.Pruner;
import java.util.List;

/** Deletes what Lockstep created and git no longer has, last, in reverse stage order, within the prune limits. */
final class PruneOrphans implements Step {
    private final AppSpec app;
    private final Pruner pruner;

    PruneOrphans(AppSpec app, Pruner pruner) {
        this.app = app;
        this.pruner = pruner;
    }

    @Override
    public StepResult run(Pass pass) {
        Pruner.PruneResult pruned = pruner.prune(
                app,
                pass.requirePlan().orphans(),
                pass.state().record().inventory().size());
        List<Fact> facts = pruned.deleted().stream()
                .<Fact>map(e -> new Fact.ObjectPruned(e.key(), e.apiVersion()))
                .toList();
        Pass out = pass.with(facts).withKept(pruned.kept());
        if (pruned.refused().isPresent()) {
            out = out.with(new Fact.PruneRefused(pruned.refused().get()));
        }
        return new StepResult.Continue(out);
    }
}
