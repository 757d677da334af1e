package dev.lockstep.reconcile.pass;

import dev.lockstep.model.Revision;
import dev.lockstep.plan.Plan;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a pass would do at the remote head, without writing anything (for {@code lockstep diff}).
 *
 * @param commit the head commit, null when it could not be fetched
 * @param plan   present when the commit could be planned; {@code errors} say why not otherwise
 * @param secretValues what was encrypted in git at the commit: the diff hides them
 */
public record Preview(Revision commit, Optional<Plan> plan, List<String> errors, Set<String> secretValues) {
    public Preview {
        secretValues = Set.copyOf(secretValues);
    }

    static Preview of(StepResult result) {
        Pass pass = result.pass();
        if (result instanceof StepResult.Continue || result instanceof StepResult.Done) {
            return new Preview(pass.commit().orElse(null), pass.plan(), List.of(), pass.secretValues());
        }
        List<String> errors = result instanceof StepResult.Stalled s
                ? s.reasons()
                : result instanceof StepResult.Retry r
                        ? List.of(r.reason())
                        : List.of("internal error: " + ((StepResult.Crashed) result).bug());
        return new Preview(pass.commit().orElse(null), Optional.empty(), errors, pass.secretValues());
    }
}
