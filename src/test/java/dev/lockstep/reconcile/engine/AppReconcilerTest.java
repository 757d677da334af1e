package dev.lockstep.reconcile.engine;

import static dev.lockstep.reconcile.engine.PassFixture.CONFIG;
import static dev.lockstep.reconcile.engine.PassFixture.DEPLOYMENT;
import static dev.lockstep.reconcile.engine.PassFixture.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lockstep.cluster.ClusterException;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.ServiceAccountRef;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.pass.Preview;
import dev.lockstep.reconcile.report.PassReport;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.HelloApp;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.TestApps;
import dev.lockstep.util.Tree;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole passes of one app, step list and all, on a real git repository and an in-memory cluster. */
class AppReconcilerTest {
    @TempDir
    Path tmp;

    private PassFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private PassFixture fixture() {
        f = new PassFixture(tmp);
        return f;
    }

    @Test
    void aFirstCommitIsAppliedRecordedAndShown() {
        fixture();
        String v1 = f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();

        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        assertThat(f.cluster.keys()).containsExactlyInAnyOrder(DEPLOYMENT, SERVICE, CONFIG);
        AppRecord record = f.cluster.record("hello").orElseThrow();
        assertThat(record.commit()).isEqualTo(v1);
        assertThat(record.inventory())
                .extracting(InventoryEntry::key)
                .containsExactlyInAnyOrder(DEPLOYMENT, SERVICE, CONFIG);
        assertThat(app.status().commit()).isEqualTo(v1);
        assertThat(app.status().subject()).isEqualTo("hello-app v1");
        assertThat(f.listener.heard("commitApplied")).containsExactly("commitApplied " + v1.substring(0, 7));
        Map<String, Object> deployment = f.cluster.object(DEPLOYMENT).orElseThrow();
        assertThat(Tree.string(deployment, "metadata", "annotations", "kubernetes.io/change-cause"))
                .contains(v1.substring(0, 7) + " hello-app v1");
    }

    @Test
    void aStatusChangeIsReportedOnceAndAPassThatChangesNothingReportsNone() {
        fixture();
        String v1 = f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();

        app.reconcile();

        assertThat(f.listener.statusChanges())
                .singleElement()
                .satisfies(s -> assertThat(s.commit()).isEqualTo(v1));
        app.reconcile();
        app.refreshRollouts();
        assertThat(f.listener.statusChanges())
                .as("nothing changed but the time")
                .hasSize(1);

        String v2 = f.commitApp("hello:v2", "image v2");
        app.reconcile();
        assertThat(f.listener.statusChanges())
                .hasSize(2)
                .last()
                .satisfies(s -> assertThat(s.commit()).isEqualTo(v2));
    }

    @Test
    void anAppWithAServiceAccountWritesOnlyAsItAndAForbiddenObjectRefusesTheWholeCommit() {
        ServiceAccountRef deployer = new ServiceAccountRef(PassFixture.NS, "deployer");
        f = new PassFixture(tmp, a -> AppSpecs.withServiceAccount(a, Optional.of(deployer)));
        f.cluster.forbid(deployer, "Secret");
        String v1 = f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(f.cluster.callsAs(deployer))
                .as("every dry run and apply went through the ServiceAccount")
                .containsAll(f.cluster.calls().stream()
                        .filter(c -> c.startsWith("dryRun") || c.startsWith("apply"))
                        .toList());
        Map<String, Object> before = f.cluster.snapshot().get(DEPLOYMENT);
        f.cluster.clearCalls();

        f.repo.write("app/deployment.yaml", HelloApp.deployment("hello:v2"))
                .write(
                        "app/secret.yaml",
                        "apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {k: v}\n");
        String bad = f.repo.commit("v2 with a secret");

        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);

        assertThat(f.cluster.calls("apply")).as("nothing of the commit written").isEmpty();
        assertThat(f.cluster.snapshot().get(DEPLOYMENT)).isEqualTo(before);
        assertThat(app.status().commit()).isEqualTo(v1);
        assertThat(String.join("\n", app.status().errors()))
                .contains("commit " + bad.substring(0, 7))
                .contains("forbidden: ServiceAccount shop/deployer may not patch Secret/shop/creds")
                .contains("nothing of this commit was applied");
        assertThat(f.listener.heard("writeForbidden"))
                .singleElement()
                .asString()
                .contains("ServiceAccount shop/deployer");
    }

    @Test
    void aForbiddenCommitIsTriedAgainWithACappedBackoffAndLandsOnceTheRoleIsGrantedWithoutANewCommit() {
        ServiceAccountRef deployer = new ServiceAccountRef(PassFixture.NS, "deployer");
        f = new PassFixture(tmp, a -> AppSpecs.withServiceAccount(a, Optional.of(deployer)));
        f.cluster.forbid(deployer, "Secret");
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        f.repo.write("app/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {k: v}\n");
        String bad = f.repo.commit("add a secret");

        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);
        assertThat(app.status().message()).endsWith("the same commit is tried again in 5 s (refusal 1)");
        f.now.set(PassFixture.NOW.plusSeconds(4));
        assertThat(app.reconcile()).as("not before its backoff").isEqualTo(PassOutcome.STALLED);
        assertThat(f.listener.heard("writeForbidden")).hasSize(1);
        f.now.set(PassFixture.NOW.plusSeconds(5));
        assertThat(app.reconcile()).as("tried again, still refused").isEqualTo(PassOutcome.STALLED);
        assertThat(f.listener.heard("writeForbidden")).as("reported again").hasSize(2);
        assertThat(app.status().message()).endsWith("tried again in 10 s (refusal 2)");
        assertThat(ForbiddenRetry.POLICY.delayAfter(7)).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(ForbiddenRetry.POLICY.delayAfter(40)).as("capped").isEqualTo(java.time.Duration.ofMinutes(5));

        f.cluster.allow(deployer, "Secret"); // a person grants the Role; no new commit
        f.now.set(PassFixture.NOW.plusSeconds(15));
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        assertThat(f.cluster.keys()).contains(ResourceKey.of("v1", "Secret", PassFixture.NS, "creds"));
        assertThat(app.status().commit()).isEqualTo(bad);
        assertThat(app.status().errors()).isEmpty();
        assertThat(f.cluster.record("hello").orElseThrow().commit()).isEqualTo(bad);
    }

    @Test
    void aWriteForbiddenAfterItsDryRunPassedStallsTheCommitAndIsReportedAsForbidden() {
        fixture();
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        // the account's rights shrank between the dry run and the write
        f.cluster.failApply(DEPLOYMENT, 403, "forbidden: ServiceAccount shop/deployer may not patch " + DEPLOYMENT);
        String v2 = f.commitApp("hello:v2", "image v2");

        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);
        assertThat(app.reconcile()).as("not retried before its backoff").isEqualTo(PassOutcome.STALLED);

        assertThat(f.listener.heard("writeForbidden"))
                .hasSize(1)
                .first()
                .asString()
                .contains("commit " + v2.substring(0, 7))
                .contains("may not patch " + DEPLOYMENT);
    }

    @Test
    void aPassWithoutANewCommitMakesNoClusterCall() {
        fixture();
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        f.cluster.clearCalls();

        assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);

        assertThat(f.cluster.calls()).isEmpty();
    }

    @Test
    void aCommitThatLeavesEveryObjectAsItWasSkipsTheDryRunsAndSavesOnlyTheRecord() {
        fixture();
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        f.cluster.clearCalls();
        f.repo.write("README.md", "docs only");
        String docs = f.repo.commit("docs");

        assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);

        assertThat(f.cluster.calls()).containsExactly("save hello");
        assertThat(f.cluster.record("hello").orElseThrow().commit()).isEqualTo(docs);
    }

    @Test
    void aDryRunRejectionWritesNothingAndTheSameCommitIsNotTriedAgain() {
        fixture();
        String v1 = f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        var before = f.cluster.snapshot();
        f.repo.write("app/config.yaml", HelloApp.configMap("settings", "2"));
        f.repo.write("app/deployment.yaml", HelloApp.deployment("hello:v2"));
        f.cluster.failDryRun(SERVICE, 422, "spec.ports[0].port: Invalid value: 0");
        f.repo.write("app/service.yaml", HelloApp.service(0).replace("port: 3000", "port: 0"));
        String bad = f.repo.commit("v2 with a bad Service");
        f.cluster.clearCalls();

        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);

        assertThat(f.cluster.calls("apply")).isEmpty();
        assertThat(f.cluster.snapshot()).isEqualTo(before);
        assertThat(app.status().health()).isEqualTo(AppHealth.STALLED);
        assertThat(app.status().message())
                .isEqualTo("commit " + bad.substring(0, 7)
                        + " \"v2 with a bad Service\" not applied; the cluster stays at " + v1.substring(0, 7));
        assertThat(app.status().errors())
                .singleElement()
                .asString()
                .startsWith("commit " + bad.substring(0, 7)
                        + ": app/service.yaml:1: dry-run apply Service/shop/hello-app failed");
        assertThat(f.listener.heard("rejected")).hasSize(1);

        f.cluster.clearCalls();
        f.listener.clear();
        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);
        assertThat(f.cluster.calls()).isEmpty();
        assertThat(f.listener.heard("rejected")).isEmpty();
        assertThat(app.status().health()).isEqualTo(AppHealth.STALLED);
    }

    @Test
    void namespacesAndConfigGoBeforeWorkloads() {
        f = new PassFixture(
                tmp,
                a -> AppSpecs.of(
                        a.name(),
                        a.repo(),
                        a.path(),
                        a.namespace(),
                        a.interval(),
                        a.prune(),
                        a.selfHeal(),
                        a.allowedNamespaces(),
                        Set.of("Namespace"),
                        a.maxPruneShare(),
                        a.allowMassPrune()));
        f.repo.write("app/deployment.yaml", HelloApp.deployment("hello:v1"));
        f.repo.write("app/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n");
        f.repo.write("app/config.yaml", HelloApp.configMap("settings", "1"));
        f.repo.write("app/service.yaml", HelloApp.service(0));
        f.repo.commit("all kinds");

        assertThat(f.reconciler().reconcile()).isEqualTo(PassOutcome.APPLIED);

        assertThat(f.cluster.order("apply"))
                .containsExactly(
                        "Namespace/shop",
                        "ConfigMap/shop/settings",
                        "Service/shop/hello-app",
                        "Deployment/shop/hello-app");
        // objects in a Namespace the same commit creates cannot be dry-run before it exists; the Namespace itself can
        assertThat(f.cluster.order("dryRun")).containsExactly("Namespace/shop");
    }

    @Test
    void whenALaterStageFailsWhatEarlierStagesCreatedIsStillPrunedLater() {
        fixture();
        f.cluster.failApply(DEPLOYMENT, 422, "spec.template: Invalid value");
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();

        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);
        assertThat(f.cluster.keys()).contains(CONFIG, SERVICE);
        assertThat(f.cluster.record("hello").orElseThrow().inventory())
                .extracting(InventoryEntry::key)
                .containsExactlyInAnyOrder(CONFIG, SERVICE);
        assertThat(f.cluster.record("hello").orElseThrow().commit()).isEmpty();

        f.cluster.clearFailures();
        f.repo.delete("app/config.yaml");
        f.repo.commit("drop the ConfigMap, fix the Deployment");
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        assertThat(f.cluster.keys()).containsExactlyInAnyOrder(DEPLOYMENT, SERVICE);
        assertThat(f.listener.heard("pruned")).containsExactly("pruned " + CONFIG);
    }

    @Test
    void pruneTouchesOnlyTheInventory() {
        fixture();
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        ResourceKey stranger = ResourceKey.of("v1", "ConfigMap", "shop", "someone-elses");
        f.cluster.put(
                stranger,
                Map.of(
                        "apiVersion",
                        "v1",
                        "kind",
                        "ConfigMap",
                        "metadata",
                        Map.of(
                                "name",
                                "someone-elses",
                                "namespace",
                                "shop",
                                "labels",
                                Map.of("app.kubernetes.io/managed-by", "lockstep", "lockstep.dev/app", "hello"))));
        f.repo.delete("app/config.yaml");
        f.repo.commit("drop the ConfigMap");

        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        assertThat(f.cluster.calls("delete")).containsExactly("delete " + CONFIG);
        assertThat(f.cluster.keys()).contains(stranger);
    }

    @Test
    void aMassPruneIsRefusedAndNothingIsDeleted() {
        fixture();
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        f.repo.delete("app/config.yaml").delete("app/service.yaml");
        f.repo.commit("drop two of three");

        assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);

        assertThat(f.cluster.calls("delete")).isEmpty();
        assertThat(f.listener.heard("pruneRefused"))
                .containsExactly("pruneRefused refusing to prune 2 of 3 objects "
                        + "(67% > maxPruneShare 50%); they are held until a person confirms "
                        + "(allowMassPrune: true, or lockstep prune --app hello --confirm)");
        // kept in the inventory, so a later commit can still prune them
        assertThat(f.cluster.record("hello").orElseThrow().inventory()).hasSize(3);
        var hold = f.cluster.record("hello").orElseThrow().pruneHold();
        assertThat(hold.objects()).hasSize(2);
        assertThat(app.status().errors())
                .anySatisfy(e -> assertThat(e)
                        .startsWith("prune held: 2 objects whose prune was refused at commit")
                        .endsWith("lockstep.dev/confirm-prune=" + hold.token()));

        // a later commit grows the inventory: 2 of 13 would pass maxPruneShare, and they stay held
        for (int i = 0; i < 10; i++) {
            f.repo.write("app/extra-" + i + ".yaml", dev.lockstep.testing.HelloApp.configMap("extra-" + i, "x"));
        }
        f.repo.commit("ten more objects");
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(f.cluster.calls("delete")).isEmpty();
        assertThat(f.listener.heard("pruneHeld")).singleElement().asString().contains("prune held: 2 objects");

        // a person confirms this hold (as lockstep prune --confirm does): the next pass deletes them, no commit needed
        f.cluster.confirmPrune("hello", hold.token());
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(f.cluster.calls("delete")).hasSize(2);
        assertThat(f.cluster.record("hello").orElseThrow().pruneHold().isEmpty())
                .isTrue();
        assertThat(f.cluster.record("hello").orElseThrow().inventory()).hasSize(11);
        assertThat(app.status().errors()).isEmpty();
    }

    @Test
    void anEmptiedPathIsRefusedNotPruned() {
        fixture();
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        f.repo.delete("app/config.yaml").delete("app/service.yaml").delete("app/deployment.yaml");
        f.repo.write("app/README.md", "nothing here");
        String empty = f.repo.commit("empty the path");

        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);

        assertThat(f.cluster.calls("delete")).isEmpty();
        assertThat(f.listener.heard("pruneRefused"))
                .singleElement()
                .asString()
                .contains("commit " + empty.substring(0, 7) + " has no objects under 'app'");
    }

    @Test
    void aKubectlRolloutUndoIsDriftAndSelfHealPutsGitsTemplateBack() {
        fixture();
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        var v1Template = Tree.deepCopy(Tree.map(f.cluster.object(DEPLOYMENT).orElseThrow(), "spec", "template"));
        f.commitApp("hello:v2", "image v2");
        app.reconcile();
        var applied = f.cluster.object(DEPLOYMENT).orElseThrow();
        f.cluster.edit(
                DEPLOYMENT, d -> Tree.ensureMap(d, "spec").put("template", v1Template)); // what rollout undo does
        f.cluster.clearCalls();

        try (LogCapture log = new LogCapture(PassReport.class)) {
            assertThat(app.reconcile()).isEqualTo(PassOutcome.HEALED);
            assertThat(log.lines())
                    .contains("WARN app hello: drift on Deployment/shop/hello-app: field "
                            + "spec.template.spec.containers[0].image differs from git; restoring git's version");
        }
        assertThat(f.cluster.calls()).containsExactly("apply " + DEPLOYMENT);
        assertThat(Tree.map(f.cluster.object(DEPLOYMENT).orElseThrow(), "spec", "template"))
                .isEqualTo(Tree.map(applied, "spec", "template"));
        assertThat(f.listener.heard("drift"))
                .containsExactly("drift " + DEPLOYMENT + " spec.template.spec.containers[0].image corrected");
    }

    @Test
    void withSelfHealOffDriftIsReportedAndLeftAlone() {
        f = new PassFixture(tmp, a -> TestApps.withSelfHeal(a, false));
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        Consumer<Map<String, Object>> setImage = d ->
                Tree.maps(d, "spec", "template", "spec", "containers").get(0).put("image", "hello:hotfix");
        f.cluster.edit(DEPLOYMENT, setImage);
        f.cluster.clearCalls();

        try (LogCapture log = new LogCapture(PassReport.class)) {
            assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);
            assertThat(log.lines())
                    .contains(
                            "WARN app hello: drift on Deployment/shop/hello-app: field "
                                    + "spec.template.spec.containers[0].image differs from git (selfHeal is off: reported only)");
        }
        assertThat(f.cluster.calls()).isEmpty();
        assertThat(f.listener.heard("drift"))
                .containsExactly("drift " + DEPLOYMENT + " spec.template.spec.containers[0].image reported");
    }

    @Test
    void aRollbackIsRecognisedByTemplateEqualityAloneAndRecordedWhenTheControllerReusesTheReplicaSet() {
        fixture();
        String v1 = f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        Map<String, Object> v1Template =
                Tree.deepCopy(Tree.map(f.cluster.object(DEPLOYMENT).orElseThrow(), "spec", "template"));
        ReplicaSetInfo v1Set = new ReplicaSetInfo(
                "hello-app-5f7895bb6b", "uid-1", 1, Map.of("lockstep.dev/commit", v1), v1Template, PassFixture.NOW, 3);
        f.cluster.replicaSets("shop/hello-app", List.of(v1Set));
        f.commitApp("hello:v2", "image v2");
        app.reconcile();
        f.commitApp("hello:v1", "go back to the old image"); // no "This reverts commit" line

        app.reconcile();

        Map<String, Object> annotations =
                Tree.map(f.cluster.object(DEPLOYMENT).orElseThrow(), "metadata", "annotations");
        assertThat(annotations)
                .containsEntry("lockstep.dev/rollback-to-revision", "1")
                .containsEntry("lockstep.dev/rollback-of", v1);
        assertThat((String) annotations.get("kubernetes.io/change-cause"))
                .endsWith("go back to the old image (rollback to revision 1, commit " + v1.substring(0, 7) + ")");

        // the Deployment controller reuses the old ReplicaSet as revision 3
        f.cluster.replicaSets(
                "shop/hello-app",
                List.of(new ReplicaSetInfo(
                        v1Set.name(),
                        v1Set.uid(),
                        3,
                        Map.of("deployment.kubernetes.io/revision-history", "1"),
                        v1Template,
                        PassFixture.NOW,
                        3)));
        f.cluster.edit(DEPLOYMENT, d -> {
            Tree.ensureMap(d, "metadata", "annotations").put("deployment.kubernetes.io/revision", "3");
            d.put(
                    "status",
                    Map.of("observedGeneration", 1, "replicas", 3, "updatedReplicas", 3, "availableReplicas", 3));
        });
        app.refreshRollouts();

        assertThat(f.listener.heard("rolledBack")).containsExactly("rolledBack hello-app to 1 as 3 reused");
        assertThat(f.cluster.record("hello").orElseThrow().history())
                .extracting(HistoryEntry::revision, HistoryEntry::result)
                .contains(tuple(3L, "rolled back to 1"));
        assertThat(app.status().deployments().get("shop/hello-app").state()).isEqualTo(RolloutState.HEALTHY);
    }

    @Test
    void aRolloutInFlightWhenTheLeaderChangesIsFollowedOnByTheNextLeaderAndGetsItsHistoryEntry() {
        fixture();
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler first = f.reconciler();
        first.reconcile();
        String v2 = f.commitApp("hello:v2", "image v2");
        first.reconcile();
        assertThat(f.cluster.record("hello").orElseThrow().following())
                .as("the record says v2's rollout is followed")
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.workload()).isEqualTo(DEPLOYMENT);
                    assertThat(r.commit().commit()).isEqualTo(v2);
                });
        Map<String, Object> v2Template =
                Tree.deepCopy(Tree.map(f.cluster.object(DEPLOYMENT).orElseThrow(), "spec", "template"));

        // the leader changes before the rollout ends: the next leader starts from the cluster's record only
        AppReconciler next = f.reconciler();
        assertThat(next.reconcile()).isEqualTo(PassOutcome.UNCHANGED);
        f.cluster.replicaSets(
                "shop/hello-app",
                List.of(new ReplicaSetInfo(
                        "hello-app-v2",
                        "uid-2",
                        2,
                        Map.of("lockstep.dev/commit", v2),
                        v2Template,
                        PassFixture.NOW,
                        3)));
        f.cluster.edit(DEPLOYMENT, d -> {
            Tree.ensureMap(d, "metadata", "annotations").put("deployment.kubernetes.io/revision", "2");
            d.put(
                    "status",
                    Map.of("observedGeneration", 2, "replicas", 3, "updatedReplicas", 3, "availableReplicas", 3));
        });
        next.refreshRollouts();

        AppRecord record = f.cluster.record("hello").orElseThrow();
        assertThat(record.history())
                .extracting(HistoryEntry::commit, HistoryEntry::revision, HistoryEntry::replicaSet)
                .contains(tuple(v2, 2L, "hello-app-v2"));
        assertThat(record.following()).as("no longer followed once ended").isEmpty();
        assertThat(f.listener.heard("rollout ")).containsExactly("rollout hello-app HEALTHY revision 2");
    }

    @Test
    void anUnreachableRemoteRetriesAndKeepsEverything() throws Exception {
        fixture();
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        var before = f.cluster.snapshot();
        java.nio.file.Files.move(f.repo.dir(), tmp.resolve("moved"));

        assertThat(app.reconcile()).isEqualTo(PassOutcome.RETRY);

        assertThat(f.cluster.snapshot()).isEqualTo(before);
        assertThat(app.status().health()).isEqualTo(AppHealth.ERROR);
        assertThat(app.status().message())
                .startsWith("git: ")
                .endsWith("(the cluster stays at the last applied commit; nothing is pruned)");
        assertThat(f.listener.heard("gitError")).hasSize(1);
    }

    @Test
    void aBugIsLoggedOnceWithItsStackAndTheAppShowsError() {
        fixture();
        f.cluster.failReads(new NullPointerException("a bug"));
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();

        try (LogCapture log = new LogCapture(PassReport.class)) {
            assertThat(app.reconcile()).isEqualTo(PassOutcome.ERROR);
            assertThat(log.withStackTrace()).isEqualTo(1);
        }
        assertThat(app.status().health()).isEqualTo(AppHealth.ERROR);
        assertThat(app.status().message()).startsWith("internal error: java.lang.NullPointerException");
        assertThat(f.listener.heard("pass")).containsExactly("pass error");
    }

    @Test
    void aRecordThatCannotBeSavedIsSavedByTheNextPass() {
        fixture();
        f.cluster.failSaves(new ClusterException("etcd timeout", 504, null));
        String v1 = f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();

        assertThat(app.reconcile()).isEqualTo(PassOutcome.RETRY);
        assertThat(app.status().message()).isEqualTo("cluster: etcd timeout");

        f.cluster.clearFailures();
        assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);
        assertThat(f.cluster.record("hello").orElseThrow().commit()).isEqualTo(v1);
        assertThat(app.status().health()).isNotEqualTo(AppHealth.ERROR);
    }

    @Test
    void aPreviewPlansAtTheHeadAndWritesNothing() {
        fixture();
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        app.reconcile();
        f.commitApp("hello:v2", "image v2");
        f.cluster.clearCalls();
        f.listener.clear();

        Preview preview = app.preview();

        assertThat(preview.errors()).isEmpty();
        assertThat(preview.commit().subject()).isEqualTo("image v2");
        assertThat(preview.plan().orElseThrow().changes())
                .filteredOn(c -> c.writes())
                .singleElement()
                .satisfies(c -> assertThat(c.key()).isEqualTo(DEPLOYMENT));
        assertThat(f.cluster.calls("apply")).isEmpty();
        assertThat(f.cluster.calls("save")).isEmpty();
        assertThat(f.listener.heard()).isEmpty();
    }
}
