package dev.lockstep.reconcile.pass;

import dev.lockstep.git.GitSourceException;

/** How the steps that talk to git report its failure: retry, keep the cluster as it is, prune nothing. */
final class GitFailure {
    private GitFailure() {}

    static StepResult retry(Pass pass, GitSourceException e) {
        return new StepResult.Retry(
                pass.with(new Fact.GitFailed(e.getMessage())),
                "git: " + e.getMessage() + " (the cluster stays at the last applied commit; nothing is pruned)");
    }
}
