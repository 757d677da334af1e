package dev.lockstep.reconcile.pass;

import dev.lockstep.cluster.ClusterException;
import java.util.List;
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
                return result;
            }
            pass = result.pass();
        }
        return new StepResult.Done(pass);
    }
}
