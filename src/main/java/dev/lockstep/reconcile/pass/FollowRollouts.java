package dev.lockstep.reconcile.pass;

import dev.lockstep.git.GitSource;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.plan.Applier;
import dev.lockstep.plan.Change;
import dev.lockstep.rollout.DeploymentRollout;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.rollout.TrackedRollout;
import dev.lockstep.util.Tree;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts following every Deployment whose pod template the commit changed. A rollout still followed for the same
 * Deployment is superseded: it goes into the history as such, with the revision its controller gave it (0 when the
 * controller had not started it yet: the "revision 0" entries a fast soak shows).
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
                superseded.add(previous.entry(revisionOf(change), "", "superseded by " + commit.shortSha()));
            }
        }
        return new StepResult.Continue(
                pass.withSuperseded(superseded).withState(pass.state().withRollouts(rollouts)));
    }

    /**
     * The revision the superseded rollout got: the Deployment as it was before this apply, once its controller had seen
     * the superseded template. 0 when it had not (the rollout never started: no ReplicaSet, no revision, as
     * {@code kubectl rollout history} shows none) or for kinds without a revision annotation.
     */
    private static long revisionOf(Change change) {
        if (!ObjectReadiness.isDeployment(change.key()) || change.live().isEmpty()) {
            return 0;
        }
        Map<String, Object> before = change.live().get();
        long generation = Tree.number(before, "metadata", "generation").orElse(0L);
        long observed = Tree.number(before, "status", "observedGeneration").orElse(0L);
        return observed >= generation ? DeploymentRollout.evaluate(before).revision() : 0;
    }
}
