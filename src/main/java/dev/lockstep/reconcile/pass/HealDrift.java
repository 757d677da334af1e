package dev.lockstep.reconcile.pass;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.plan.Drift;
import dev.lockstep.plan.DriftHealer;
import dev.lockstep.plan.Expectation;
import java.util.HashMap;
import java.util.Map;

/** Reports each drift and, with {@code selfHeal} on, puts git's version back. */
final class HealDrift implements Step {
    private final boolean selfHeal;
    private final DriftHealer healer;

    HealDrift(boolean selfHeal, DriftHealer healer) {
        this.selfHeal = selfHeal;
        this.healer = healer;
    }

    @Override
    public StepResult run(Pass pass) {
        if (pass.drifts().isEmpty()) {
            return new StepResult.Continue(pass);
        }
        Map<ResourceKey, Expectation> expectations = new HashMap<>(pass.state().expectations());
        Pass out = pass;
        for (Drift d : pass.drifts()) {
            if (selfHeal) {
                expectations.put(d.key(), healer.heal(d.key(), expectations.get(d.key())));
            }
            out = out.with(new Fact.Drifted(d.key(), d.field(), selfHeal));
        }
        return new StepResult.Continue(out.withState(out.state().withExpectations(expectations)));
    }
}
