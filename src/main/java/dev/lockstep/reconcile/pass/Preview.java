package dev.lockstep.reconcile.pass;

import dev.lockstep.model.Revision;
import dev.lockstep.plan.Plan;
import java.util.List;
import java.util.Optional;

/**
 * What a pass would do at the remote head, without writing anything (for {@code lockstep diff}).
 *
 * @param commit the head commit, null when it could not be fetched
 * @param plan   present when the commit could be planned; {@code errors} say why not otherwise
 */
public record Preview(Revision commit, Optional<Plan> plan, List<String> errors) {

    static Preview of(StepResult result) {
        Pass pass = result.pass();
        if (result instanceof StepResult.Continue || result instanceof StepResult.Done) {
            return new Preview(pass.commit().orElse(null), pass.plan(), List.of());
        }
        List<String> errors = result instanceof StepResult.Stalled s
                ? s.reasons()
                : result instanceof StepResult.Retry r
                        ? List.of(r.reason())
                        : List.of("internal error: " + ((StepResult.Crashed) result).bug());
        return new Preview(pass.commit().orElse(null), Optional.empty(), errors);
    }
}
