package dev.lockstep.reconcile.pass;

import dev.lockstep.cluster.LiveObjects;

/**
 * Before anything reads the watch cache: a watch that went down (an API server outage) is listed again now rather
 * than after its growing reconnect backoff, so drift made during the outage is seen by the first pass after it. Costs
 * no request while the watches are up; a failed list is a retry, never a pass on a stale or empty cache.
 */
final class EnsureWatching implements Step {
    private final LiveObjects live;

    EnsureWatching(LiveObjects live) {
        this.live = live;
    }

    @Override
    public StepResult run(Pass pass) {
        live.ensureWatching();
        return new StepResult.Continue(pass);
    }
}
