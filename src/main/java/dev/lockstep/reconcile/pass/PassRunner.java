package dev.lockstep.reconcile.pass;

import dev.lockstep.cluster.ClusterException;
import dev.lockstep.model.SecretMask;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs steps in order until one does not say continue. A {@link ClusterException} is the cluster adapters' way of
 * saying "failed, may pass": it becomes {@link StepResult.Retry}. Any other exception is a bug: {@link StepResult.Crashed}.
 */
final class PassRunner {
    private PassRunner() {}

    static StepResult run(List<Step> steps, Pass start) {
        return run(steps, start, step -> {});
    }

    /** @param starting told of each step before it runs (what a long pass is doing, for its progress log) */
    static StepResult run(List<Step> steps, Pass start, Consumer<Step> starting) {
        Pass pass = start;
        for (Step step : steps) {
            starting.accept(step);
            StepResult result;
            try {
                result = step.run(pass);
            } catch (ClusterException e) {
                return new StepResult.Retry(pass, "cluster: " + e.getMessage());
            } catch (RuntimeException e) {
                return new StepResult.Crashed(pass, e);
            }
            if (!(result instanceof StepResult.Continue)) {
                return masked(result);
            }
            pass = result.pass();
        }
        return new StepResult.Done(pass);
    }

    /**
     * Why a commit stalled or a pass failed reaches the status, Events, logs and the page: an error the API server
     * wrote may quote a value, so every value that was encrypted in git is hidden in it here, once for all of them.
     */
    private static StepResult masked(StepResult result) {
        Set<String> values = result.pass().secretValues();
        if (values.isEmpty()) {
            return result;
        }
        if (result instanceof StepResult.Stalled s) {
            return new StepResult.Stalled(
                    s.pass(),
                    s.reasons().stream()
                            .map(r -> SecretMask.maskedText(r, values))
                            .toList());
        }
        if (result instanceof StepResult.Retry r) {
            return new StepResult.Retry(r.pass(), SecretMask.maskedText(r.reason(), values));
        }
        return result;
    }
}
