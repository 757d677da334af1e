package dev.lockstep.reconcile.pass;

import dev.lockstep.git.GitSourceException;

/**
 * Names the branch head: one ls-remote, no objects transferred, or the head another app on the same branch learned
 * since this app's previous pass started ({@link SharedHead}).
 */
final class ResolveHead implements Step {
    private final String app;
    private final SharedHead head;
    private long previousStart;

    ResolveHead(String app, SharedHead head) {
        this.app = app;
        this.head = head;
        this.previousStart = head.mark();
    }

    @Override
    public StepResult run(Pass pass) {
        long start = head.mark();
        try {
            return new StepResult.Continue(pass.withHead(head.resolve(app, previousStart)));
        } catch (GitSourceException e) {
            return GitFailure.retry(pass, e);
        } finally {
            previousStart = start;
        }
    }
}
