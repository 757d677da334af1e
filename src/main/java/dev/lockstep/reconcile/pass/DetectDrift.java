package dev.lockstep.reconcile.pass;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.plan.Drift;
import dev.lockstep.plan.DriftDetector;
import java.util.List;

/**
 * On a pass without a new commit, compares the watch cache with what this process applied. While a rollout is
 * followed, only template changes and deletions of its Deployment count: the rest is the controller at work. An object
 * another app's label now claims is never drift: one owner per object, so it is reported as a conflict naming both
 * apps and left as it is (restoring it would make the two apps take it from each other forever).
 */
final class DetectDrift implements Step {
    private final String app;
    private final DriftDetector detector;

    DetectDrift(String app, DriftDetector detector) {
        this.app = app;
        this.detector = detector;
    }

    @Override
    public StepResult run(Pass pass) {
        if (!pass.headAlreadyHandled()) {
            return new StepResult.Continue(pass);
        }
        AppState state = pass.state();
        List<Drift> found = detector.detect(state.expectations());
        List<Drift> drifts = found.stream()
                .filter(d -> !d.taken())
                .filter(d -> !state.rollouts().containsKey(d.key()) || d.affectsTemplateOrExistence())
                .toList();
        Pass out = pass.withDrifts(drifts);
        for (Drift taken : found.stream().filter(Drift::taken).toList()) {
            String owner = taken.takenBy().orElseThrow();
            String reason = taken.key() + " belongs to app " + owner + " now (its " + MetadataKeys.APP
                    + " label): app " + app + " declares it too and does not take it back; remove it from one of the"
                    + " two apps";
            boolean known =
                    state.problem().map(p -> p.errors().contains(reason)).orElse(false);
            out = out.with(new Fact.OwnershipConflict(taken.key(), owner, reason, known));
        }
        return new StepResult.Continue(out);
    }
}
