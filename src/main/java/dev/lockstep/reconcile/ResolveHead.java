package dev.lockstep.reconcile;

import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;

/** Asks the remote for the branch head: one ls-remote, no objects transferred. */
final class ResolveHead implements Step {
    private final GitSource git;

    ResolveHead(GitSource git) {
        this.git = git;
    }

    @Override
    public StepResult run(Pass pass) {
        try {
            return new StepResult.Continue(pass.withHead(git.remoteHead()));
        } catch (GitSourceException e) {
            return GitFailure.retry(pass, e);
        }
    }
}
