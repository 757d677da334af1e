package dev.lockstep.reconcile.engine;

import static dev.lockstep.reconcile.engine.PassFixture.DEPLOYMENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cluster.KubeEvent;
import dev.lockstep.cluster.WriteFence;
import dev.lockstep.config.OnFailedRollout;
import dev.lockstep.config.OnManualRollback;
import dev.lockstep.config.WriteBackSpec;
import dev.lockstep.metrics.MetricsListener;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.Revision;
import dev.lockstep.model.WriteBack;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.EventReporter;
import dev.lockstep.reconcile.report.PassReport;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.util.Tree;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lockstep writing git inside a pass: the automatic revert and the recorded manual rollback, on the fake cluster. */
class WriteBackPassTest {
    private static final Optional<WriteBackSpec> WRITE_BACK =
            Optional.of(new WriteBackSpec("Lockstep", "lockstep@example.com", Optional.empty()));

    @TempDir
    Path tmp;

    private PassFixture f;
    private final Map<String, Map<String, Object>> templates = new HashMap<>();
    private final Map<String, String> commits = new HashMap<>();

    @AfterEach
    void close() {
        f.close();
    }

    /** v1, v2 and v3 applied, as the seed story has them; the fake remembers each template and commit. */
    private AppReconciler seedStory(OnFailedRollout failed, OnManualRollback manual) {
        return seedStory(failed, manual, PassFixture::reconciler);
    }

    private AppReconciler seedStory(
            OnFailedRollout failed, OnManualRollback manual, Function<PassFixture, AppReconciler> reconciler) {
        f = PassFixture.withRemote(tmp, a -> AppSpecs.withWriteBack(a, WRITE_BACK, failed, manual));
        AppReconciler app = reconciler.apply(f);
        for (String v : List.of("v1", "v2", "v3")) {
            commits.put(v, f.commitApp("hello:" + v, v.equals("v1") ? "hello-app v1" : "image " + v));
            app.reconcile();
            templates.put(v, Tree.deepCopy(Tree.map(f.cluster.object(DEPLOYMENT).orElseThrow(), "spec", "template")));
        }
        return app;
    }

    /** Kubernetes Events and metrics as the daemon wires them, heard next to the fixture's own listener. */
    private final List<KubeEvent> posted = new CopyOnWriteArrayList<>();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** As {@link #seedStory}, the app reporting to Events and metrics too. */
    private AppReconciler seedStoryReported(OnFailedRollout failed, OnManualRollback manual) {
        return seedStory(
                failed,
                manual,
                f -> new AppReconciler(
                        f.app,
                        f.steps,
                        f.shared,
                        ReconcileListener.all(List.of(
                                f.listener,
                                new EventReporter(posted::add, "lockstep-system"),
                                new MetricsListener(registry)))));
    }

    private List<String> writeBackEvents() {
        return posted.stream()
                .filter(e -> e.reason().startsWith("WroteBack") || e.reason().startsWith("WriteBack"))
                .map(e -> e.type() + " " + e.reason() + " " + e.kind() + "/" + e.name() + ": " + e.message())
                .toList();
    }

    private List<String> writeBackMetrics() {
        return registry.scrape()
                .lines()
                .filter(l -> l.startsWith("lockstep_writebacks_total{"))
                .toList();
    }

    @Test
    void aPushedRevertIsAWroteBackEventAndCountedAsPushed() throws Exception {
        AppReconciler app = seedStoryReported(OnFailedRollout.REVERT, OnManualRollback.HEAL);
        v3Fails();
        assertThat(app.refreshRollouts()).isTrue();

        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        Revision revert = remoteHead();
        assertThat(writeBackEvents())
                .singleElement()
                .asString()
                .startsWith("Normal WroteBack ConfigMap/lockstep-app-hello: app hello: pushed "
                        + revert.commit().substring(0, 7) + " Revert \"image v3\"");
        assertThat(writeBackMetrics())
                .containsExactly(
                        "lockstep_writebacks_total{action=\"revert-failed-rollout\",app=\"hello\",result=\"pushed\"} 1.0");
    }

    @Test
    void aRevertDeclinedBecauseANewerCommitArrivedIsAWriteBackDeclinedWarningAndCountedAsDeclined() throws Exception {
        AppReconciler app = seedStoryReported(OnFailedRollout.REVERT, OnManualRollback.HEAL);
        v3Fails();
        assertThat(app.refreshRollouts()).isTrue();
        String v4 = f.commitApp("hello:v4", "image v4"); // someone fixed forward before the pass

        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        assertThat(remoteHead().commit()).as("nothing pushed").isEqualTo(v4);
        assertThat(writeBackEvents())
                .containsExactly("Warning WriteBackDeclined ConfigMap/lockstep-app-hello: app hello: the branch head"
                        + " moved to " + v4.substring(0, 7) + ": that newer commit supersedes "
                        + commits.get("v3").substring(0, 7) + "; no revert");
        assertThat(writeBackMetrics())
                .containsExactly(
                        "lockstep_writebacks_total{action=\"revert-failed-rollout\",app=\"hello\",result=\"declined\"} 1.0");
        assertThat(image()).isEqualTo("hello:v4");
    }

    private ReplicaSetInfo rs(String version, long revision, String history) {
        Map<String, String> annotations = new HashMap<>(
                Map.of(MetadataKeys.COMMIT, commits.get(version), MetadataKeys.COMMIT_SUBJECT, "image " + version));
        if (!history.isEmpty()) {
            annotations.put(MetadataKeys.DEPLOYMENT_REVISION_HISTORY, history);
        }
        return new ReplicaSetInfo(
                "hello-app-" + version,
                "uid-" + version,
                revision,
                annotations,
                templates.get(version),
                PassFixture.NOW,
                3);
    }

    /** What the Deployment controller does when v3 never becomes ready. */
    private void v3Fails() {
        f.cluster.replicaSets("shop/hello-app", List.of(rs("v1", 1, ""), rs("v2", 2, ""), rs("v3", 3, "")));
        f.cluster.edit(DEPLOYMENT, d -> {
            Tree.ensureMap(d, "metadata", "annotations").put(MetadataKeys.DEPLOYMENT_REVISION, "3");
            d.put(
                    "status",
                    Map.of(
                            "observedGeneration",
                            3,
                            "replicas",
                            4,
                            "updatedReplicas",
                            1,
                            "conditions",
                            List.of(Map.of(
                                    "type",
                                    "Progressing",
                                    "status",
                                    "False",
                                    "reason",
                                    "ProgressDeadlineExceeded",
                                    "lastUpdateTime",
                                    "2026-11-26T12:01:00Z"))));
        });
    }

    private Revision remoteHead() throws Exception {
        String head = f.git.remoteHead();
        f.git.fetch(head);
        return f.git.revision(head);
    }

    private String image() {
        return (String) Tree.maps(f.cluster.object(DEPLOYMENT).orElseThrow(), "spec", "template", "spec", "containers")
                .get(0)
                .get("image");
    }

    @Test
    void aFailedRolloutIsRevertedOnceAndTheRevertIsAppliedInTheSamePass() throws Exception {
        AppReconciler app = seedStory(OnFailedRollout.REVERT, OnManualRollback.HEAL);
        v3Fails();

        assertThat(app.refreshRollouts())
                .as("a failed rollout asks for a pass at once")
                .isTrue();
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        Revision revert = remoteHead();
        assertThat(revert.subject()).isEqualTo("Revert \"image v3\"");
        assertThat(image()).isEqualTo("hello:v2");
        Map<String, Object> annotations =
                Tree.map(f.cluster.object(DEPLOYMENT).orElseThrow(), "metadata", "annotations");
        assertThat(annotations)
                .containsEntry(MetadataKeys.ROLLBACK_REVISION, "2")
                .containsEntry(MetadataKeys.COMMIT, revert.commit());
        AppRecord record = f.cluster.record("hello").orElseThrow();
        assertThat(record.commit()).isEqualTo(revert.commit());
        assertThat(record.writeBacks()).singleElement().satisfies(w -> {
            assertThat(w.action()).isEqualTo(WriteBack.REVERT_FAILED_ROLLOUT);
            assertThat(w.target()).isEqualTo(commits.get("v3"));
            assertThat(w.pushed()).isEqualTo(revert.commit());
        });
        assertThat(f.listener.heard("writeBack")).singleElement().asString().startsWith("writeBack pushed ");

        // the controller reuses the v2 ReplicaSet as revision 4: the history says it was automatic
        f.cluster.replicaSets("shop/hello-app", List.of(rs("v1", 1, ""), rs("v2", 4, "2"), rs("v3", 3, "")));
        f.cluster.edit(DEPLOYMENT, d -> {
            Tree.ensureMap(d, "metadata", "annotations").put(MetadataKeys.DEPLOYMENT_REVISION, "4");
            d.put(
                    "status",
                    Map.of("observedGeneration", 4, "replicas", 3, "updatedReplicas", 3, "availableReplicas", 3));
        });
        assertThat(app.refreshRollouts()).isFalse();
        assertThat(f.cluster.record("hello").orElseThrow().history())
                .extracting(HistoryEntry::revision, HistoryEntry::result)
                .contains(org.assertj.core.groups.Tuple.tuple(
                        4L,
                        "rolled back to 2, automatic: rollout of "
                                + commits.get("v3").substring(0, 7) + " failed"));

        // nothing more: not on the next pass, not after a restart
        assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);
        assertThat(f.reconciler().reconcile()).isEqualTo(PassOutcome.UNCHANGED);
        assertThat(remoteHead().commit()).isEqualTo(revert.commit());
    }

    @Test
    void aReplicaThatLostLeadershipPushesNoRevertAndTheLeaderPushesItOnce() throws Exception {
        AppReconciler app = seedStory(OnFailedRollout.REVERT, OnManualRollback.HEAL);
        v3Fails();
        assertThat(app.refreshRollouts()).isTrue();
        f.leadership.set(() -> false);

        assertThat(app.reconcile()).isEqualTo(PassOutcome.RETRY);

        assertThat(remoteHead().commit()).as("nothing pushed").isEqualTo(commits.get("v3"));
        assertThat(image()).isEqualTo("hello:v3");
        assertThat(f.cluster.record("hello").orElseThrow().writeBacks()).isEmpty();
        assertThat(app.status().message()).contains("not the leader");

        f.leadership.set(WriteFence.OPEN);
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        Revision revert = remoteHead();
        assertThat(revert.subject()).isEqualTo("Revert \"image v3\"");
        assertThat(f.git.log(revert.commit(), 10))
                .extracting(Revision::subject)
                .filteredOn(s -> s.startsWith("Revert"))
                .hasSize(1);
        assertThat(image()).isEqualTo("hello:v2");
    }

    @Test
    void aReplicaThatLostLeadershipPushesNoManualRollbackCommit() throws Exception {
        AppReconciler app = seedStory(OnFailedRollout.REPORT, OnManualRollback.COMMIT);
        rolloutUndoToRevision2();
        f.leadership.set(() -> false);

        assertThat(app.reconcile()).isEqualTo(PassOutcome.RETRY);
        assertThat(remoteHead().commit()).as("nothing pushed").isEqualTo(commits.get("v3"));
        assertThat(image()).as("and nothing healed back").isEqualTo("hello:v2");

        f.leadership.set(WriteFence.OPEN);
        app.reconcile();
        assertThat(remoteHead().subject()).isEqualTo("Revert \"image v3\"");
        assertThat(image()).isEqualTo("hello:v2");
    }

    @Test
    void withReportAFailedRolloutIsOnlyReported() throws Exception {
        AppReconciler app = seedStory(OnFailedRollout.REPORT, OnManualRollback.HEAL);
        v3Fails();

        assertThat(app.refreshRollouts()).isFalse();
        assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);

        assertThat(remoteHead().commit()).isEqualTo(commits.get("v3"));
        assertThat(app.status().health()).isEqualTo(AppHealth.FAILED);
    }

    /** What {@code kubectl rollout undo --to-revision=2} leaves: the v2 template, its ReplicaSet reused as revision 4. */
    private void rolloutUndoToRevision2() {
        f.cluster.replicaSets("shop/hello-app", List.of(rs("v1", 1, ""), rs("v2", 4, "2"), rs("v3", 3, "")));
        f.cluster.edit(DEPLOYMENT, d -> {
            Tree.ensureMap(d, "spec").put("template", Tree.deepCopy(templates.get("v2")));
            Map<String, Object> annotations = Tree.ensureMap(d, "metadata", "annotations");
            annotations.put(MetadataKeys.DEPLOYMENT_REVISION, "4");
            // kubectl copies the old ReplicaSet's annotations onto the Deployment: the first drift found is there
            annotations.put(MetadataKeys.CHANGE_CAUSE, "abc1234 image v2");
            annotations.put(MetadataKeys.COMMIT, commits.get("v2"));
        });
    }

    @Test
    void aManualRollbackBecomesACommitAndTheClusterNeverGoesBack() throws Exception {
        AppReconciler app = seedStory(OnFailedRollout.REPORT, OnManualRollback.COMMIT);
        rolloutUndoToRevision2();

        app.reconcile();

        Revision recorded = remoteHead();
        assertThat(recorded.subject()).isEqualTo("Revert \"image v3\"");
        assertThat(recorded.message())
                .contains("Deployment shop/hello-app rolled back by hand to revision 2 "
                        + "(kubectl rollout undo): this commit makes git say what the cluster runs.");
        assertThat(f.git.readPath(recorded.commit(), "app").orElseThrow())
                .anySatisfy(file -> assertThat(new String(file.content())).contains("image: hello:v2"));
        assertThat(image()).isEqualTo("hello:v2");
        AppRecord record = f.cluster.record("hello").orElseThrow();
        assertThat(record.commit()).isEqualTo(recorded.commit());
        assertThat(record.history())
                .extracting(HistoryEntry::revision, HistoryEntry::result)
                .contains(org.assertj.core.groups.Tuple.tuple(
                        4L, "rolled back by hand to revision 2, recorded as commit " + recorded.shortSha()));

        assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);
        assertThat(image()).isEqualTo("hello:v2");
        assertThat(remoteHead().commit()).isEqualTo(recorded.commit());
    }

    @Test
    void withReportAManualRollbackIsLeftAloneAndReported() throws Exception {
        AppReconciler app = seedStory(OnFailedRollout.REPORT, OnManualRollback.REPORT);
        rolloutUndoToRevision2();
        f.listener.clear();
        LogCapture log = new LogCapture(PassReport.class);

        assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);
        log.close();

        assertThat(image()).isEqualTo("hello:v2");
        assertThat(remoteHead().commit()).isEqualTo(commits.get("v3"));
        assertThat(f.listener.heard("drift")).singleElement().asString().endsWith(" reported");
        assertThat(log.lines())
                .anySatisfy(line -> assertThat(line)
                        .startsWith("WARN app hello: drift on Deployment/shop/" + "hello-app: field spec.template")
                        .endsWith("(a manual rollback; onManualRollback: report leaves it alone)"));
    }

    @Test
    void aManualRollbackLeftAloneIsReportedOnEveryPassWithoutListingItsReplicaSetsAgain() {
        AppReconciler app = seedStory(OnFailedRollout.REPORT, OnManualRollback.REPORT);
        rolloutUndoToRevision2();
        assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);
        f.listener.clear();
        f.cluster.clearCalls();

        assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);

        assertThat(image()).isEqualTo("hello:v2");
        assertThat(f.listener.heard("drift")).singleElement().asString().endsWith(" reported");
        assertThat(f.cluster.calls("listReplicaSets")).isEmpty();
    }

    @Test
    void withHealAManualRollbackIsUndoneAsToday() {
        AppReconciler app = seedStory(OnFailedRollout.REPORT, OnManualRollback.HEAL);
        rolloutUndoToRevision2();

        assertThat(app.reconcile()).isEqualTo(PassOutcome.HEALED);

        assertThat(image()).isEqualTo("hello:v3");
    }
}
