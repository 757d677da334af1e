package dev.lockstep.reconcile.pass;

import dev.lockstep.cluster.ClusterPort;
import dev.lockstep.cluster.ObjectApi;
import dev.lockstep.cluster.WriteFence;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.OnFailedRollout;
import dev.lockstep.config.OnManualRollback;
import dev.lockstep.config.VerifySpec;
import dev.lockstep.config.WriteBackSpec;
import dev.lockstep.git.CommitVerifier;
import dev.lockstep.git.CommitWriter;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.TrustedKeys;
import dev.lockstep.manifest.ManifestLoader;
import dev.lockstep.plan.Applier;
import dev.lockstep.plan.DriftDetector;
import dev.lockstep.plan.DriftHealer;
import dev.lockstep.plan.FieldAdoption;
import dev.lockstep.plan.HookWait;
import dev.lockstep.plan.Planner;
import dev.lockstep.plan.Pruner;
import dev.lockstep.render.Renderer;
import dev.lockstep.rollout.InterruptedRollouts;
import dev.lockstep.secrets.SopsDecryptor;
import dev.lockstep.writeback.FailedRolloutReverter;
import dev.lockstep.writeback.ManualRollbackRecorder;
import dev.lockstep.writeback.RollbackCommits;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The steps of one pass, in order, and the package's one way in: {@link #run} runs a pass and says how it ended,
 * {@link #preview} plans without writing. A pass runs the steps until one does not say continue; a preview
 * ({@code lockstep diff}) runs the same list up to and including the ownership check.
 *
 * <pre>
 * load record → ensure watching → resolve head → revert failed rollouts → detect drift → record manual rollbacks
 *   → heal drift → release a confirmed held prune → end if head handled
 *   → fetch commit → refuse history rewrite → verify commits → render → read manifests → plan → check ownership → apply → prune
 *   → follow rollouts → resume rollouts an earlier process left → record
 * </pre>
 */
public final class PassSteps {
    private final List<Step> all;
    private final int previewLength;
    private final SharedHead head;

    /**
     * Parts shared by the apps: one cluster port, and the planner, applier and pruner around the {@code writes} they
     * use (the daemon's own, or one app's impersonated ServiceAccount), and the pool that also starts a restart's
     * first lists while git fetches.
     */
    public record Shared(
            ClusterPort cluster,
            ObjectApi writes,
            ManifestLoader loader,
            Renderer renderer,
            Planner planner,
            Applier applier,
            Pruner pruner,
            Clock clock,
            Executor background) {

        public static Shared of(
                ClusterPort cluster,
                ObjectApi writes,
                ManifestLoader loader,
                Renderer renderer,
                Executor pool,
                Clock clock) {
            return new Shared(
                    cluster,
                    writes,
                    loader,
                    renderer,
                    new Planner(
                            writes, cluster.live(), cluster.replicaSets(), cluster.controllerRevisions(), pool, clock),
                    new Applier(
                            writes, cluster.live(), pool, new HookWait(cluster.live(), clock, HookWait.Sleeper.THREAD)),
                    new Pruner(writes, cluster.live()),
                    clock,
                    pool);
        }
    }

    /** @param head the branch head shared by every app on the same repository source */
    public static PassSteps of(AppSpec app, SharedHead head, Shared shared) {
        GitSource git = head.git();
        ClusterPort cluster = shared.cluster();
        FieldAdoption adoption = FieldAdoption.withExtra(app.adoptFieldManagers());
        DriftDetector detector = new DriftDetector(cluster.live(), adoption);
        Step plan = new PlanChanges(app.name(), shared.planner(), detector, adoption, cluster.live());
        WriteBackParts writeBack = WriteBackParts.of(app, git, cluster.fence(), shared.clock());
        VerifySpec verify = app.trust().verify();
        CommitVerifier verifier =
                new CommitVerifier(git, new TrustedKeys(verify.allowedSignersFile(), verify.openpgpKeysFile()));
        Step ownership = new CheckOwnership(app.name(), cluster.records(), cluster.live());
        List<Step> steps = List.of(
                new LoadRecord(app.name(), cluster.records(), cluster.live(), shared.background()),
                new EnsureWatching(cluster.live()),
                new ResolveHead(app.name(), head),
                new RevertFailedRollouts(writeBack.reverter()),
                new DetectDrift(app.name(), detector),
                new RecordManualRollbacks(
                        app.onManualRollback(),
                        cluster.live(),
                        cluster.replicaSets(),
                        cluster.controllerRevisions(),
                        writeBack.recorder()),
                new HealDrift(
                        app.selfHeal(), new DriftHealer(shared.writes(), cluster.live(), adoption, shared.clock())),
                new ReleaseHeldPrune(app, shared.pruner(), cluster.records()),
                new EndIfHeadHandled(),
                new FetchCommit(git),
                new RefuseHistoryRewrite(app.trust().allowHistoryRewrite(), verifier),
                new VerifyCommits(app.trust().verify(), verifier),
                new RenderManifests(app, git, shared.renderer(), shared.loader()),
                new CheckDecrypted(new SopsDecryptor()),
                new ReadManifests(app, shared.loader(), cluster.scopes()),
                plan,
                ownership,
                new ApplyChanges(shared.applier(), app.render().helm().timeout()),
                new PruneOrphans(app, shared.pruner(), cluster.records()),
                new FollowRollouts(git, shared.clock()),
                new ResumeRollouts(app.name(), cluster.live(), new InterruptedRollouts(cluster.controllerRevisions())),
                new RecordState());
        return new PassSteps(steps, steps.indexOf(ownership) + 1, head);
    }

    /** What writes to git for this app, present only where its config asks for it. */
    record WriteBackParts(Optional<FailedRolloutReverter> reverter, Optional<ManualRollbackRecorder> recorder) {
        /** @param fence asked before every push, as before every cluster write: only the leader pushes */
        static WriteBackParts of(AppSpec app, GitSource git, WriteFence fence, Clock clock) {
            if (app.writeBack().isEmpty()) {
                return new WriteBackParts(Optional.empty(), Optional.empty());
            }
            WriteBackSpec spec = app.writeBack().get();
            CommitWriter writer =
                    new CommitWriter(git, spec.authorName(), spec.authorEmail(), spec.signingKeyFile(), clock);
            Optional<FailedRolloutReverter> reverter = app.onFailedRollout() == OnFailedRollout.REVERT
                    ? Optional.of(new FailedRolloutReverter(app.name(), git, writer, fence, clock))
                    : Optional.empty();
            Optional<ManualRollbackRecorder> recorder = app.onManualRollback() == OnManualRollback.COMMIT
                    ? Optional.of(new ManualRollbackRecorder(
                            app.name(), git, new RollbackCommits(git, writer, app.path()), fence, clock))
                    : Optional.empty();
            return new WriteBackParts(reverter, recorder);
        }
    }

    PassSteps(List<Step> all, int previewLength, SharedHead head) {
        this.all = List.copyOf(all);
        this.previewLength = previewLength;
        this.head = head;
    }

    /**
     * One pass of the app from {@code state}: its steps, then its end settled into the app's next state and outcome.
     *
     * @param atStep told the simple name of each step before it runs (what a long pass is doing, for its progress log)
     */
    public PassResult run(AppState state, Consumer<String> atStep) {
        return PassResult.of(PassRunner.run(
                all,
                Pass.start(Pass.Mode.RECONCILE, state),
                step -> atStep.accept(step.getClass().getSimpleName())));
    }

    /** What a pass from {@code state} would do at the remote head, without writing anything. */
    public Preview preview(AppState state) {
        return Preview.of(PassRunner.run(previewSteps(), Pass.start(Pass.Mode.PREVIEW, state)));
    }

    /** The branch head this app shares with the others on its repository source. */
    public SharedHead head() {
        return head;
    }

    List<Step> all() {
        return all;
    }

    List<Step> previewSteps() {
        return all.subList(0, previewLength);
    }
}
