package dev.lockstep.reconcile.pass;

import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;

/** Brings the git cache up to the head just resolved (no second ls-remote) and describes that commit. */
final class FetchCommit implements Step {
    private final GitSource git;

    FetchCommit(GitSource git) {
        this.git = git;
    }

    @Override
    public StepResult run(Pass pass) {
        try {
            return new StepResult.Continue(pass.withCommit(git.fetch(pass.requireHead())));
        } catch (GitSourceException e) {
            return GitFailure.retry(pass, e);
        }
    }
}
