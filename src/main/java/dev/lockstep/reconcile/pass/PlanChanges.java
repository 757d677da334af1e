package dev.lockstep.reconcile.pass;

import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.Revision;
import dev.lockstep.plan.DriftDetector;
import dev.lockstep.plan.FieldAdoption;
import dev.lockstep.plan.PlanResult;
import dev.lockstep.plan.Planner;
import dev.lockstep.plan.PriorApply;
import dev.lockstep.render.Rendered;
import java.time.Duration;
import java.util.List;

/** Dry-runs the commit's objects on the server and decides per object what to write. Writes nothing. */
final class PlanChanges implements Step {
    /**
     * How long a pass waits for the watch to deliver the previous pass's own writes before planning on the cache. Under
     * load an event takes a few hundred ms; past this, the pass goes on and {@link CheckOwnership} retries it.
     */
    static final Duration OWN_WRITES = Duration.ofSeconds(2);

    private final String app;
    private final Planner planner;
    private final DriftDetector drift;
    private final FieldAdoption adoption;
    private final LiveObjects live;

    PlanChanges(String app, Planner planner, DriftDetector drift, FieldAdoption adoption, LiveObjects live) {
        this.app = app;
        this.planner = planner;
        this.drift = drift;
        this.adoption = adoption;
        this.live = live;
    }

    @Override
    public StepResult run(Pass pass) {
        Revision commit = pass.requireCommit();
        live.awaitCurrent(pass.manifests().stream().map(Manifest::key).toList(), OWN_WRITES);
        // Objects whose body and live state are unchanged since they were applied need no dry run: known from this
        // process's own applies, or from the fingerprints in the record (a restart, a new leader, the CLI).
        PriorApply prior = drift.priorApply(
                pass.state().expectations(), pass.state().record().fingerprints());
        PlanResult planned = planner.plan(
                app,
                commit,
                pass.rendered().map(Rendered::engine).orElse(""),
                pass.manifests(),
                pass.state().record().inventory(),
                prior,
                adoption);
        if (planned instanceof PlanResult.Rejected rejected) {
            return new StepResult.Stalled(
                    pass,
                    rejected.errors().stream()
                            .map(e -> "commit " + commit.shortSha() + ": " + e)
                            .toList());
        }
        if (planned instanceof PlanResult.Forbidden forbidden) {
            List<String> reasons = forbidden.errors().stream()
                    .map(e -> "commit " + commit.shortSha() + ": " + e + " (nothing of this commit was applied)")
                    .toList();
            return new StepResult.Stalled(pass.with(new Fact.WriteForbidden(commit, reasons)), reasons);
        }
        if (planned instanceof PlanResult.Failed failed) {
            return new StepResult.Retry(pass, "cluster: " + failed.error());
        }
        return new StepResult.Continue(pass.withPlan(((PlanResult.Ready) planned).plan()));
    }
}
