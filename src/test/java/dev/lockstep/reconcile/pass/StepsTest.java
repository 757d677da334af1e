package dev.lockstep.reconcile.pass;

import static dev.lockstep.reconcile.engine.PassFixture.DEPLOYMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.cluster.ClusterException;
import dev.lockstep.config.OnManualRollback;
import dev.lockstep.git.CommitWriter;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.Revision;
import dev.lockstep.model.TemplateChange;
import dev.lockstep.plan.Drift;
import dev.lockstep.plan.Expectation;
import dev.lockstep.reconcile.engine.PassFixture;
import dev.lockstep.rollout.TrackedRollout;
import dev.lockstep.util.Tree;
import dev.lockstep.writeback.FailedRollout;
import dev.lockstep.writeback.FailedRolloutReverter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each step on its own: what it returns for each situation it meets. */
class StepsTest {
    @TempDir
    Path tmp;

    private PassFixture f;

    @BeforeEach
    void setUp() {
        f = new PassFixture(tmp);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private Pass pass() {
        return Pass.start(Pass.Mode.RECONCILE, AppState.initial());
    }

    /** Runs the list up to (not including) the step of class {@code stop}; the pass must continue until there. */
    private Pass passUpTo(Class<? extends Step> stop, Pass start) {
        Pass pass = start;
        for (Step step : f.steps.all()) {
            if (stop.isInstance(step)) {
                return pass;
            }
            StepResult result = step.run(pass);
            assertThat(result).as("before " + stop.getSimpleName()).isInstanceOf(StepResult.Continue.class);
            pass = result.pass();
        }
        throw new AssertionError(stop + " is not in the list");
    }

    private Step step(Class<? extends Step> type) {
        return f.steps.all().stream().filter(type::isInstance).findFirst().orElseThrow();
    }

    @Test
    void theListRunsInTheDocumentedOrderAndPreviewStopsAfterPlanning() {
        assertThat(f.steps.all())
                .extracting(s -> s.getClass().getSimpleName())
                .containsExactly(
                        "LoadRecord",
                        "EnsureWatching",
                        "ResolveHead",
                        "RevertFailedRollouts",
                        "DetectDrift",
                        "RecordManualRollbacks",
                        "HealDrift",
                        "ReleaseHeldPrune",
                        "EndIfHeadHandled",
                        "FetchCommit",
                        "RefuseHistoryRewrite",
                        "VerifyCommits",
                        "RenderManifests",
                        "CheckDecrypted",
                        "ReadManifests",
                        "PlanChanges",
                        "CheckOwnership",
                        "ApplyChanges",
                        "PruneOrphans",
                        "FollowRollouts",
                        "ResumeRollouts",
                        "RecordState");
        assertThat(f.steps.previewSteps()).last().isInstanceOf(CheckOwnership.class);
    }

    @Test
    void checkOwnershipStallsOnAnObjectAnotherAppsInventoryListsAndLetsAnUnclaimedOneBe() {
        f.commitApp("hello:v1", "v1");
        f.cluster.put(
                PassFixture.CONFIG,
                new java.util.LinkedHashMap<>(Map.of(
                        "apiVersion",
                        "v1",
                        "kind",
                        "ConfigMap",
                        "metadata",
                        Map.of(
                                "name",
                                "settings",
                                "namespace",
                                PassFixture.CONFIG.namespace(),
                                "labels",
                                Map.of("app.kubernetes.io/managed-by", "lockstep", "lockstep.dev/app", "other")))));
        Pass planned = passUpTo(CheckOwnership.class, pass());

        assertThat(step(CheckOwnership.class).run(planned))
                .as("labelled for an app whose inventory does not list it")
                .isInstanceOf(StepResult.Continue.class);

        f.cluster.save(
                "other",
                new AppRecord(
                        "abc", List.of(new dev.lockstep.model.InventoryEntry(PassFixture.CONFIG, "v1")), List.of()));
        StepResult refused = step(CheckOwnership.class).run(planned);
        assertThat(refused).isInstanceOf(StepResult.Stalled.class);
        assertThat(((StepResult.Stalled) refused).reasons())
                .singleElement()
                .asString()
                .contains("ConfigMap/" + PassFixture.CONFIG.namespace() + "/settings belongs to app other")
                .contains("app hello may not take it");
    }

    @Test
    void checkOwnershipRetriesACreateOfAnObjectThisDaemonJustWroteWhileTheWatchHasNotDeliveredIt() {
        f.commitApp("hello:v1", "v1");
        Pass planned = passUpTo(CheckOwnership.class, pass());

        // another app of this daemon wrote the ConfigMap a moment ago: its label is not in the cache yet
        f.cluster.watchBehind(PassFixture.CONFIG);
        StepResult behind = step(CheckOwnership.class).run(planned);
        assertThat(behind).isInstanceOf(StepResult.Retry.class);
        assertThat(((StepResult.Retry) behind).reason())
                .isEqualTo("ConfigMap/" + PassFixture.CONFIG.namespace()
                        + "/settings was just written and the watch cache has not caught up yet");

        f.cluster.watchCaughtUp();
        assertThat(step(CheckOwnership.class).run(planned)).isInstanceOf(StepResult.Continue.class);
    }

    @Test
    void loadRecordReadsTheClusterOnlyOnce() {
        f.cluster.save("hello", new AppRecord("abc", List.of(), List.of()));
        f.cluster.clearCalls();

        StepResult first = step(LoadRecord.class).run(pass());
        step(LoadRecord.class).run(first.pass());

        assertThat(first.pass().state().record().commit()).isEqualTo("abc");
        assertThat(f.cluster.calls()).containsExactly("load hello");
    }

    @Test
    void resolveHeadNamesTheBranchHeadOrRetries() throws Exception {
        String head = f.commitApp("hello:v1", "v1");
        assertThat(step(ResolveHead.class).run(pass()).pass().head()).contains(head);

        try (GitSource missing =
                new GitSource(new RepoSpec(tmp.resolve("nowhere").toUri().toString(), "main"), tmp.resolve("c2"))) {
            StepResult result = new ResolveHead("app", new SharedHead(missing)).run(pass());
            assertThat(result).isInstanceOf(StepResult.Retry.class);
            assertThat(((StepResult.Retry) result).reason()).startsWith("git: ").contains("nothing is pruned");
            assertThat(result.pass().facts()).singleElement().isInstanceOf(Fact.GitFailed.class);
        }
    }

    @Test
    void detectDriftRunsOnlyOnAHeadAlreadyApplied() {
        String head = f.commitApp("hello:v1", "v1");
        Expectation exp = new Expectation("apps/v1", Map.of(), Map.of());
        AppState applied = AppState.initial()
                .persisted(new AppRecord(head, List.of(), List.of()))
                .withExpectations(Map.of(DEPLOYMENT, exp));

        StepResult newHead =
                step(DetectDrift.class).run(pass().withHead("0".repeat(40)).withState(applied));
        StepResult sameHead = step(DetectDrift.class).run(pass().withHead(head).withState(applied));

        assertThat(newHead.pass().drifts()).isEmpty();
        assertThat(sameHead.pass().drifts()).containsExactly(new Drift(DEPLOYMENT, Drift.DELETED));
    }

    @Test
    void detectDriftIgnoresNonTemplateChangesOfADeploymentBeingRolledOut() {
        String head = f.commitApp("hello:v1", "v1");
        f.reconciler().reconcile();
        AppRecord record = f.cluster.record("hello").orElseThrow();
        Map<String, Object> body = f.cluster.object(DEPLOYMENT).orElseThrow();
        AppState state = AppState.initial()
                .persisted(record)
                .withExpectations(Map.of(
                        DEPLOYMENT, Expectation.of("apps/v1", Map.of("spec", Map.of("replicas", 3)), body)))
                .withRollouts(Map.of(DEPLOYMENT, tracked()));
        f.cluster.edit(
                DEPLOYMENT,
                d -> dev.lockstep.util.Tree.ensureMap(d, "spec").put("replicas", 5)); // the controller, an HPA

        StepResult result = step(DetectDrift.class).run(pass().withHead(head).withState(state));

        assertThat(result.pass().drifts()).isEmpty();
    }

    @Test
    void healDriftReappliesOnlyWithSelfHeal() {
        f.commitApp("hello:v1", "v1");
        f.reconciler().reconcile();
        Map<String, Object> body = f.cluster.object(DEPLOYMENT).orElseThrow();
        AppState state = AppState.initial().withExpectations(Map.of(DEPLOYMENT, Expectation.of("apps/v1", body, body)));
        Pass drifted = pass().withState(state).withDrifts(List.of(new Drift(DEPLOYMENT, "spec.replicas")));
        f.cluster.clearCalls();

        StepResult healed = new HealDrift(true, new dev.lockstep.plan.DriftHealer(f.cluster, f.cluster)).run(drifted);
        StepResult reported =
                new HealDrift(false, new dev.lockstep.plan.DriftHealer(f.cluster, f.cluster)).run(drifted);

        assertThat(healed.pass().facts()).containsExactly(new Fact.Drifted(DEPLOYMENT, "spec.replicas", true));
        assertThat(reported.pass().facts()).containsExactly(new Fact.Drifted(DEPLOYMENT, "spec.replicas", false));
        assertThat(f.cluster.calls()).containsExactly("apply " + DEPLOYMENT);
    }

    @Test
    void endIfHeadHandledEndsDoneOnAnAppliedHeadAndStalledQuietlyOnARefusedOne() {
        AppState applied = AppState.initial()
                .persisted(new AppRecord("a".repeat(40), List.of(), List.of()))
                .withExpectations(Map.of(DEPLOYMENT, new Expectation("apps/v1", Map.of(), Map.of())));
        AppState stalled = applied.stalled("b".repeat(40), new Problem(AppHealth.STALLED, "bad", List.of("bad")));

        assertThat(step(EndIfHeadHandled.class)
                        .run(pass().withHead("a".repeat(40)).withState(applied)))
                .isInstanceOf(StepResult.Done.class);
        assertThat(step(EndIfHeadHandled.class)
                        .run(pass().withHead("b".repeat(40)).withState(stalled)))
                .isEqualTo(
                        new StepResult.Stalled(pass().withHead("b".repeat(40)).withState(stalled), List.of()));
        assertThat(step(EndIfHeadHandled.class)
                        .run(pass().withHead("c".repeat(40)).withState(stalled)))
                .isInstanceOf(StepResult.Continue.class);
        Pass preview = Pass.start(Pass.Mode.PREVIEW, applied).withHead("a".repeat(40));
        assertThat(step(EndIfHeadHandled.class).run(preview)).isInstanceOf(StepResult.Continue.class);
    }

    @Test
    void fetchCommitDescribesTheHead() {
        String head = f.commitApp("hello:v1", "hello-app v1");

        Revision commit = passUpTo(ReadManifests.class, pass()).requireCommit();

        assertThat(commit.commit()).isEqualTo(head);
        assertThat(commit.subject()).isEqualTo("hello-app v1");
        assertThat(commit.author()).isEqualTo("Ada Lovelace");
    }

    @Test
    void renderManifestsStallsOnAMissingPathWithoutPruning() {
        f.repo.write("elsewhere/x.yaml", "a: 1");
        String head = f.repo.commit("no app path");

        StepResult result = step(RenderManifests.class).run(passUpTo(RenderManifests.class, pass()));

        assertThat(result).isInstanceOf(StepResult.Stalled.class);
        assertThat(((StepResult.Stalled) result).reasons())
                .containsExactly("path 'app' does not exist at commit " + head.substring(0, 7)
                        + ": nothing applied, nothing pruned (0 objects kept)");
    }

    @Test
    void readManifestsStallsOnABadFileNamingFileAndLine() {
        f.commitApp("hello:v1", "v1");
        f.repo.write("app/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n");
        String head = f.repo.commit("broken");

        StepResult result = step(ReadManifests.class).run(passUpTo(ReadManifests.class, pass()));

        assertThat(result).isInstanceOf(StepResult.Stalled.class);
        assertThat(((StepResult.Stalled) result).reasons())
                .singleElement()
                .asString()
                .startsWith("commit " + head.substring(0, 7) + ": app/broken.yaml:");
    }

    @Test
    void readManifestsContinuesWithEveryObject() {
        f.commitApp("hello:v1", "v1");

        StepResult result = step(ReadManifests.class).run(passUpTo(ReadManifests.class, pass()));

        assertThat(result.pass().manifests()).hasSize(3);
    }

    @Test
    void planChangesStallsOnARejectionAndRetriesOnAServerError() {
        f.commitApp("hello:v1", "v1");
        Pass ready = passUpTo(PlanChanges.class, pass());

        f.cluster.failDryRun(DEPLOYMENT, 422, "invalid");
        assertThat(step(PlanChanges.class).run(ready)).isInstanceOf(StepResult.Stalled.class);
        f.cluster.clearFailures().failDryRun(DEPLOYMENT, 503, "unavailable");
        StepResult retry = step(PlanChanges.class).run(ready);
        assertThat(retry).isInstanceOf(StepResult.Retry.class);
        assertThat(((StepResult.Retry) retry).reason()).startsWith("cluster: app/deployment.yaml:1: ");
        f.cluster.clearFailures();
        assertThat(step(PlanChanges.class).run(ready).pass().plan()).isPresent();
    }

    @Test
    void applyChangesStallsOnARefusalAndRetriesOnAServerError() {
        f.commitApp("hello:v1", "v1");
        Pass planned = passUpTo(ApplyChanges.class, pass());

        f.cluster.failApply(DEPLOYMENT, 422, "invalid");
        StepResult refused = step(ApplyChanges.class).run(planned);
        f.cluster.clearFailures().failApply(DEPLOYMENT, 500, "etcd");
        // planned again, as the next pass would: what the first apply created is there now
        StepResult retry = step(ApplyChanges.class).run(passUpTo(ApplyChanges.class, pass()));

        assertThat(refused).isInstanceOf(StepResult.Stalled.class);
        assertThat(retry).isInstanceOf(StepResult.Retry.class);
        assertThat(((StepResult.Retry) retry).reason()).startsWith("apply failed, will retry: app/deployment.yaml:1: ");
        assertThat(refused.pass().facts()).hasSize(2).allMatch(fact -> fact instanceof Fact.ObjectApplied);
    }

    @Test
    void followRolloutsSupersedesARolloutStillFollowed() {
        f.commitApp("hello:v1", "v1");
        f.reconciler().reconcile();
        String v2 = f.commitApp("hello:v2", "image v2");
        Pass start = pass().withState(AppState.initial().withRollouts(Map.of(DEPLOYMENT, tracked())));
        Pass applied = step(ApplyChanges.class)
                .run(passUpTo(ApplyChanges.class, start))
                .pass();

        StepResult result = step(FollowRollouts.class).run(applied);

        assertThat(result.pass().superseded()).singleElement().satisfies(e -> {
            assertThat(e.result()).isEqualTo("superseded by " + v2.substring(0, 7));
            assertThat(e.subject()).isEqualTo("image v1");
        });
        assertThat(result.pass().state().rollouts().get(DEPLOYMENT).commit().commit())
                .isEqualTo(v2);
    }

    /** The Deployment as its controller left it: at {@code generation}, having seen {@code observed}. */
    private void controllerAt(long generation, long observed, String revision) {
        f.cluster.edit(DEPLOYMENT, d -> {
            Tree.ensureMap(d, "metadata").put("generation", generation);
            Tree.ensureMap(d, "metadata", "annotations").put("deployment.kubernetes.io/revision", revision);
            d.put("status", Map.of("observedGeneration", observed));
        });
    }

    private HistoryEntry supersededWith(Runnable controller) {
        f.commitApp("hello:v1", "v1");
        f.reconciler().reconcile();
        f.commitApp("hello:v2", "image v2");
        controller.run();
        Pass start = pass().withState(AppState.initial().withRollouts(Map.of(DEPLOYMENT, tracked())));
        Pass applied = step(ApplyChanges.class)
                .run(passUpTo(ApplyChanges.class, start))
                .pass();
        return step(FollowRollouts.class).run(applied).pass().superseded().get(0);
    }

    @Test
    void aSupersededRolloutTheControllerHadStartedKeepsItsRevision() {
        assertThat(supersededWith(() -> controllerAt(2, 2, "2")).revision()).isEqualTo(2);
    }

    @Test
    void aSupersededRolloutTheControllerHadNotSeenHasNoRevision() {
        // the controller still shows revision 1 (the rollout before): that number is not the superseded one's
        assertThat(supersededWith(() -> controllerAt(2, 1, "1")).revision()).isZero();
    }

    @Test
    void recordStateEndsThePassAtTheCommit() {
        String head = f.commitApp("hello:v1", "v1");
        Pass followed = passUpTo(RecordState.class, pass());
        Pass all = step(FollowRollouts.class)
                .run(step(PruneOrphans.class)
                        .run(step(ApplyChanges.class).run(followed).pass())
                        .pass())
                .pass();

        StepResult result = step(RecordState.class).run(all);

        assertThat(result).isInstanceOf(StepResult.Done.class);
        AppState state = result.pass().state();
        assertThat(state.record().commit()).isEqualTo(head);
        assertThat(state.subject()).isEqualTo("v1");
        assertThat(state.expectations()).hasSize(3);
        assertThat(state.unsaved()).isTrue();
        assertThat(result.pass().facts()).last().isEqualTo(new Fact.CommitApplied(all.requireCommit(), 3, 0, 0));
    }

    @Test
    void theRunnerTurnsClusterFailuresIntoRetriesAndAnythingElseIntoABug() {
        Step cluster = p -> {
            throw new ClusterException("connection refused", 0, null);
        };
        Step bug = p -> {
            throw new IllegalStateException("oops");
        };
        Step never = p -> {
            throw new AssertionError("must not run after a step that did not continue");
        };

        assertThat(PassRunner.run(List.of(cluster, never), pass()))
                .isEqualTo(new StepResult.Retry(pass(), "cluster: connection refused"));
        assertThat(PassRunner.run(List.of(bug, never), pass())).isInstanceOf(StepResult.Crashed.class);
        assertThat(PassRunner.run(List.of(p -> new StepResult.Stalled(p, List.of("x")), never), pass()))
                .isInstanceOf(StepResult.Stalled.class);
        assertThat(PassRunner.run(List.of(StepResult.Continue::new), pass())).isInstanceOf(StepResult.Done.class);
    }

    @Test
    void settlementMapsEachEndToTheAppsStateAndTheLoopsOutcome() {
        Revision commit = new Revision("c".repeat(40), "broken", "broken", "Ada", "ada@example.com", Instant.EPOCH);
        Pass withCommit = pass().withCommit(commit)
                .withState(AppState.initial().persisted(new AppRecord("a".repeat(40), List.of(), List.of())));

        Settlement stalled = Settlement.of(new StepResult.Stalled(withCommit, List.of("app/x.yaml:3: bad")));
        Settlement retry = Settlement.of(new StepResult.Retry(withCommit, "git: down"));
        Settlement bug = Settlement.of(new StepResult.Crashed(withCommit, new IllegalStateException("oops")));
        Settlement healed =
                Settlement.of(new StepResult.Done(withCommit.with(new Fact.Drifted(DEPLOYMENT, "spec", true))));

        assertThat(stalled.outcome()).isEqualTo(PassOutcome.STALLED);
        assertThat(stalled.state().stalledCommit()).contains(commit.commit());
        assertThat(stalled.state().problem().orElseThrow().message())
                .isEqualTo("commit ccccccc \"broken\" not applied; the cluster stays at aaaaaaa");
        assertThat(retry.outcome()).isEqualTo(PassOutcome.RETRY);
        assertThat(retry.state().problem().orElseThrow().health()).isEqualTo(AppHealth.ERROR);
        assertThat(bug.outcome()).isEqualTo(PassOutcome.ERROR);
        assertThat(bug.state().problem().orElseThrow().message())
                .isEqualTo("internal error: java.lang.IllegalStateException: oops");
        assertThat(healed.outcome()).isEqualTo(PassOutcome.HEALED);
        assertThat(Settlement.of(new StepResult.Done(withCommit)).outcome()).isEqualTo(PassOutcome.UNCHANGED);
        assertThatThrownBy(() -> Settlement.of(new StepResult.Continue(withCommit)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void revertFailedRolloutsDoesNothingWithoutFailuresAndDropsThemWhenRevertIsOff() {
        FailedRollout failed = new FailedRollout(tracked().commit(), DEPLOYMENT, 3, "deadline");
        Pass pending =
                pass().withHead("1".repeat(40)).withState(AppState.initial().withFailed(List.of(failed)));

        assertThat(step(RevertFailedRollouts.class).run(pass())).isEqualTo(new StepResult.Continue(pass()));
        StepResult off = new RevertFailedRollouts(Optional.empty()).run(pending);

        assertThat(off).isInstanceOf(StepResult.Continue.class);
        assertThat(off.pass().state().failed()).isEmpty();
        assertThat(off.pass().requireHead()).isEqualTo("1".repeat(40));
        assertThat(off.pass().facts()).isEmpty();
    }

    @Test
    void revertFailedRolloutsKeepsTheFailureForTheNextPassWhenGitIsDown() throws Exception {
        f.commitApp("hello:v1", "v1");
        FailedRollout failed = new FailedRollout(tracked().commit(), DEPLOYMENT, 3, "deadline");
        Pass pending =
                pass().withHead("1".repeat(40)).withState(AppState.initial().withFailed(List.of(failed)));
        try (GitSource gone =
                new GitSource(new RepoSpec(tmp.resolve("gone").toUri().toString(), "main"), tmp.resolve("c3"))) {
            FailedRolloutReverter reverter = new FailedRolloutReverter(
                    "hello",
                    gone,
                    new CommitWriter(
                            gone, "Lockstep", "lockstep@example.com", Optional.empty(), java.time.Clock.systemUTC()),
                    dev.lockstep.cluster.WriteFence.OPEN,
                    java.time.Clock.systemUTC());

            StepResult result = new RevertFailedRollouts(Optional.of(reverter)).run(pending);

            assertThat(result).isInstanceOf(StepResult.Retry.class);
            assertThat(result.pass().state().failed()).containsExactly(failed);
            assertThat(result.pass().facts()).singleElement().isInstanceOf(Fact.GitFailed.class);
        }
    }

    @Test
    void recordManualRollbacksLeavesOrdinaryDriftToHealing() {
        Drift replicas = new Drift(DEPLOYMENT, "spec.replicas");
        Pass drifted = pass().withHead("1".repeat(40)).withDrifts(List.of(replicas));

        StepResult heal = new RecordManualRollbacks(
                        OnManualRollback.HEAL, f.cluster, f.cluster, f.cluster, Optional.empty())
                .run(drifted);
        StepResult report = new RecordManualRollbacks(
                        OnManualRollback.REPORT, f.cluster, f.cluster, f.cluster, Optional.empty())
                .run(drifted);

        assertThat(heal).isEqualTo(new StepResult.Continue(drifted));
        assertThat(report.pass().drifts()).containsExactly(replicas);
        assertThat(report.pass().facts()).isEmpty();
        assertThat(f.cluster.calls("listReplicaSets")).isEmpty();
    }

    private static TrackedRollout tracked() {
        Revision v1 = new Revision("1".repeat(40), "image v1", "image v1", "Ada", "ada@example.com", Instant.EPOCH);
        return new TrackedRollout(
                DEPLOYMENT,
                v1,
                new TemplateChange(Optional.empty()),
                Instant.EPOCH,
                Optional.empty(),
                Optional.empty());
    }
}
