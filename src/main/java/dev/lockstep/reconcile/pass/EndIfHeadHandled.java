package dev.lockstep.reconcile.pass;

import java.util.List;

/** Ends a pass whose head this process already applied (done) or refused (still stalled, not reported again). */
final class EndIfHeadHandled implements Step {
    @Override
    public StepResult run(Pass pass) {
        if (!pass.headAlreadyHandled()) {
            return new StepResult.Continue(pass);
        }
        String head = pass.requireHead();
        if (pass.state().stalledAt(head)) {
            return new StepResult.Stalled(pass, List.of());
        }
        return new StepResult.Done(pass);
    }
}
