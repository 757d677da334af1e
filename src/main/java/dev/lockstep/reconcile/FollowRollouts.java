package dev.lockstep.reconcile;

import dev.lockstep.git.GitSource;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.plan.Applier;
import dev.lockstep.plan.Change;
import dev.lockstep.rollout.DeploymentRollout;
import dev.lockstep.rollout.TrackedRollout;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts following every Deployment whose pod template the commit changed. A rollout still followed for the same
 * Deployment is superseded: it goes into the history as such.
 */
final class FollowRollouts implements Step {
    private final GitSource git;
    private final Clock clock;

    FollowRollouts(GitSource git, Clock clock) {
        this.git = git;
        this.clock = clock;
    }

    @Override
    public StepResult run(Pass pass) {
        Revision commit = pass.requireCommit();
        Map<ResourceKey, TrackedRollout> rollouts = new HashMap<>(pass.state().rollouts());
        List<HistoryEntry> superseded = new ArrayList<>();
        for (Applier.Applied applied : pass.applied()) {
            Change change = applied.change();
            if (change.rollout().isEmpty()) {
                continue;
            }
            TrackedRollout next = new TrackedRollout(
                    change.key(),
                    commit,
                    change.rollout().get(),
                    clock.instant(),
                    git.revertedCommit(commit),
                    change.live().flatMap(DeploymentRollout::deadlineExceededAt));
            TrackedRollout previous = rollouts.put(change.key(), next);
            if (previous != null) {
                superseded.add(previous.entry(0, "", "superseded by " + commit.shortSha()));
            }
        }
        return new StepResult.Continue(
                pass.withSuperseded(superseded).withState(pass.state().withRollouts(rollouts)));
    }
}
