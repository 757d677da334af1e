package dev.lockstep.reconcile.pass;

import dev.lockstep.plan.Drift;
import dev.lockstep.plan.DriftDetector;
import java.util.List;

/**
 * On a pass without a new commit, compares the watch cache with what this process applied. While a rollout is
 * followed, only template changes and deletions of its Deployment count: the rest is the controller at work.
 */
final class DetectDrift implements Step {
    private final DriftDetector detector;

    DetectDrift(DriftDetector detector) {
        this.detector = detector;
    }

    @Override
    public StepResult run(Pass pass) {
        if (!pass.headAlreadyHandled()) {
            return new StepResult.Continue(pass);
        }
        AppState state = pass.state();
        List<Drift> drifts = detector.detect(state.expectations()).stream()
                .filter(d -> !state.rollouts().containsKey(d.key()) || d.affectsTemplateOrExistence())
                .toList();
        return new StepResult.Continue(pass.withDrifts(drifts));
    }
}
