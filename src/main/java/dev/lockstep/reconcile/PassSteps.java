package dev.lockstep.reconcile;

import dev.lockstep.cluster.ClusterPort;
import dev.lockstep.config.AppSpec;
import dev.lockstep.git.GitSource;
import dev.lockstep.manifest.ManifestLoader;
import dev.lockstep.plan.Applier;
import dev.lockstep.plan.DriftDetector;
import dev.lockstep.plan.DriftHealer;
import dev.lockstep.plan.Planner;
import dev.lockstep.plan.Pruner;
import java.time.Clock;
import java.util.List;

/**
 * The steps of one pass, in order. A pass runs them all until one does not say continue; a preview
 * ({@code lockstep diff}) runs the same list up to and including planning.
 *
 * <pre>
 * load record → resolve head → detect drift → heal drift → end if head handled
 *   → fetch commit → read manifests → plan → apply → prune → follow rollouts → record
 * </pre>
 */
record PassSteps(List<Step> all, int previewLength) {

    /** Parts shared by every app: one cluster port, planner, applier and pruner. */
    record Shared(
            ClusterPort cluster, ManifestLoader loader, Planner planner, Applier applier, Pruner pruner, Clock clock) {}

    static PassSteps of(AppSpec app, GitSource git, Shared shared) {
        DriftDetector detector = new DriftDetector(shared.cluster().live());
        Step plan = new PlanChanges(app.name(), shared.planner(), detector);
        List<Step> steps = List.of(
                new LoadRecord(app.name(), shared.cluster().records()),
                new ResolveHead(git),
                new DetectDrift(detector),
                new HealDrift(
                        app.selfHeal(),
                        new DriftHealer(
                                shared.cluster().objects(), shared.cluster().live())),
                new EndIfHeadHandled(),
                new FetchCommit(git),
                new ReadManifests(app, git, shared.loader(), shared.cluster().scopes()),
                plan,
                new ApplyChanges(shared.applier()),
                new PruneOrphans(app, shared.pruner()),
                new FollowRollouts(git, shared.clock()),
                new RecordState());
        return new PassSteps(steps, steps.indexOf(plan) + 1);
    }

    PassSteps {
        all = List.copyOf(all);
    }

    List<Step> preview() {
        return all.subList(0, previewLength);
    }
}
