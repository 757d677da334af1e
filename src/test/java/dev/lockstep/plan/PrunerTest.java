package dev.lockstep.plan;

import static dev.lockstep.plan.PlanFixtures.SETTINGS;
import static dev.lockstep.plan.PlanFixtures.SHOP_NAMESPACE;
import static dev.lockstep.plan.PlanFixtures.WEB;
import static dev.lockstep.plan.PlanFixtures.WEB_INGRESS;
import static dev.lockstep.plan.PlanFixtures.WEB_SERVICE;
import static dev.lockstep.plan.PlanFixtures.annotate;
import static dev.lockstep.plan.PlanFixtures.configMap;
import static dev.lockstep.plan.PlanFixtures.deployment;
import static dev.lockstep.plan.PlanFixtures.ingress;
import static dev.lockstep.plan.PlanFixtures.managed;
import static dev.lockstep.plan.PlanFixtures.map;
import static dev.lockstep.plan.PlanFixtures.namespace;
import static dev.lockstep.plan.PlanFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.config.AppSpec;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.PruneHold;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.FakeCluster;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrunerTest {
    private static final AppSpec PRUNING = app(true, 0.5, false);

    private final FakeCluster cluster = new FakeCluster();
    private final Pruner pruner = new Pruner(cluster, cluster);

    /** A prune with nothing held before. */
    private Pruner.PruneResult pruneWithNothingHeld(AppSpec app, List<InventoryEntry> orphans, int inventorySize) {
        return pruner.prune(app, orphans, inventorySize, PruneHold.NONE, false, "");
    }

    private static AppSpec app(boolean prune, double maxPruneShare, boolean allowMassPrune) {
        return AppSpecs.of(
                "shop",
                new RepoSpec("https://git.example.com/shop.git"),
                "deploy",
                "shop",
                Duration.ofMinutes(1),
                prune,
                true,
                Set.of(),
                Set.of(),
                maxPruneShare,
                allowMassPrune);
    }

    /** Puts the manifest's object in the cluster as Lockstep left it, and returns its inventory entry. */
    private InventoryEntry inCluster(Manifest m) {
        cluster.put(m.key(), managed(m));
        return new InventoryEntry(m.key(), m.apiVersion());
    }

    @Test
    void onlyTheOrphansGivenAreDeletedNeverAnotherManagedObject() {
        inCluster(deployment("web", "web:1"));
        inCluster(service("web"));
        InventoryEntry legacy = inCluster(configMap("legacy", map("mode", "old")));

        Pruner.PruneResult result = pruneWithNothingHeld(PRUNING, List.of(legacy), 3);

        assertThat(result.deleted()).containsExactly(legacy);
        assertThat(cluster.calls("delete")).containsExactly("delete ConfigMap/shop/legacy");
        assertThat(cluster.keys()).containsExactlyInAnyOrder(WEB, WEB_SERVICE);
    }

    @Test
    void orphansAreDeletedInReverseStageOrder() {
        List<InventoryEntry> applyOrder = List.of(
                inCluster(namespace("shop")),
                inCluster(configMap("settings", map("mode", "fast"))),
                inCluster(service("web")),
                inCluster(deployment("web", "web:1")),
                inCluster(ingress("web")));

        Pruner.PruneResult result = pruneWithNothingHeld(app(true, 1.0, false), applyOrder, 5);

        assertThat(cluster.order("delete"))
                .containsExactly(
                        "Ingress/shop/web",
                        "Deployment/shop/web",
                        "Service/shop/web",
                        "ConfigMap/shop/settings",
                        "Namespace/shop");
        assertThat(result.deleted())
                .extracting(InventoryEntry::key)
                .containsExactly(WEB_INGRESS, WEB, WEB_SERVICE, SETTINGS, SHOP_NAMESPACE);
        assertThat(cluster.keys()).isEmpty();
    }

    @Test
    void anObjectAnnotatedPruneDisabledIsKept() {
        Manifest precious = configMap("precious", map("mode", "keep"));
        cluster.put(precious.key(), managed(precious, o -> annotate(o, MetadataKeys.PRUNE, "disabled")));
        InventoryEntry keep = new InventoryEntry(precious.key(), "v1");
        InventoryEntry legacy = inCluster(configMap("legacy", map("mode", "old")));

        Pruner.PruneResult result = pruneWithNothingHeld(PRUNING, List.of(keep, legacy), 4);

        assertThat(result.kept()).containsExactly(keep);
        assertThat(result.deleted()).containsExactly(legacy);
        assertThat(cluster.calls("delete")).containsExactly("delete ConfigMap/shop/legacy");
        assertThat(cluster.keys()).contains(precious.key());
    }

    @Test
    void anOrphanAnotherAppNowOwnsIsNeitherDeletedNorKept() {
        Manifest moved = configMap("shared", map("mode", "moved"));
        cluster.put(
                moved.key(),
                managed(
                        moved,
                        o -> dev.lockstep.util.Tree.ensureMap(o, "metadata", "labels")
                                .put(MetadataKeys.APP, "billing")));
        InventoryEntry entry = new InventoryEntry(moved.key(), moved.apiVersion());

        Pruner.PruneResult result = pruneWithNothingHeld(app(true, 1.0, false), List.of(entry), 1);

        assertThat(result.deleted()).isEmpty();
        assertThat(result.kept()).as("dropped from this app's inventory").isEmpty();
        assertThat(cluster.calls("delete")).isEmpty();
    }

    @Test
    void anotherValueOfThePruneAnnotationDoesNotKeepTheObject() {
        Manifest m = configMap("legacy", map("mode", "old"));
        cluster.put(m.key(), managed(m, o -> annotate(o, MetadataKeys.PRUNE, "enabled")));

        Pruner.PruneResult result = pruneWithNothingHeld(PRUNING, List.of(new InventoryEntry(m.key(), "v1")), 4);

        assertThat(result.deleted()).hasSize(1);
        assertThat(result.kept()).isEmpty();
    }

    @Test
    void pruneFalseKeepsEveryOrphan() {
        List<InventoryEntry> orphans =
                List.of(inCluster(configMap("legacy", map("mode", "old"))), inCluster(service("web")));

        Pruner.PruneResult result = pruneWithNothingHeld(app(false, 0.5, false), orphans, 10);

        assertThat(result.kept()).containsExactlyElementsOf(orphans);
        assertThat(result.deleted()).isEmpty();
        assertThat(result.refused()).isEmpty();
        assertThat(cluster.calls("delete")).isEmpty();
    }

    @Test
    void pruningMoreThanMaxPruneShareIsRefusedAndDeletesNothing() {
        List<InventoryEntry> orphans = List.of(
                inCluster(configMap("settings", map("mode", "fast"))),
                inCluster(service("web")),
                inCluster(deployment("web", "web:1")));

        Pruner.PruneResult result = pruneWithNothingHeld(PRUNING, orphans, 4);

        assertThat(result.refused())
                .contains(
                        "refusing to prune 3 of 4 objects (75% > maxPruneShare 50%); they are held until a person confirms"
                                + " (allowMassPrune: true, or lockstep prune --app shop --confirm)");
        assertThat(result.deleted()).isEmpty();
        assertThat(result.kept()).containsExactlyElementsOf(orphans);
        assertThat(cluster.calls("delete")).isEmpty();
        assertThat(cluster.keys()).hasSize(3);
    }

    @Test
    void allowMassPruneDeletesAboveMaxPruneShare() {
        List<InventoryEntry> orphans = List.of(
                inCluster(configMap("settings", map("mode", "fast"))),
                inCluster(service("web")),
                inCluster(deployment("web", "web:1")));

        Pruner.PruneResult result = pruneWithNothingHeld(app(true, 0.5, true), orphans, 4);

        assertThat(result.refused()).isEmpty();
        assertThat(result.deleted()).hasSize(3);
        assertThat(cluster.keys()).isEmpty();
    }

    @Test
    void pruningExactlyMaxPruneShareIsAllowed() {
        List<InventoryEntry> orphans =
                List.of(inCluster(configMap("settings", map("mode", "fast"))), inCluster(service("web")));

        Pruner.PruneResult result = pruneWithNothingHeld(PRUNING, orphans, 4);

        assertThat(result.refused()).isEmpty();
        assertThat(result.deleted()).hasSize(2);
    }

    @Test
    void noOrphansMeansNoCall() {
        Pruner.PruneResult result = pruneWithNothingHeld(PRUNING, List.of(), 0);

        assertThat(result.deleted()).isEmpty();
        assertThat(result.refused()).isEmpty();
        assertThat(cluster.calls()).isEmpty();
    }

    @Test
    void aRefusedPruneStaysHeldWhenALaterCommitGrowsTheInventory() {
        InventoryEntry a = inCluster(configMap("a", map("k", "a")));
        InventoryEntry b = inCluster(configMap("b", map("k", "b")));
        InventoryEntry c = inCluster(configMap("c", map("k", "c")));
        inCluster(configMap("d", map("k", "d")));

        Pruner.PruneResult refused =
                pruner.prune(PRUNING, List.of(a, b, c), 4, dev.lockstep.model.PruneHold.NONE, false, "c1");
        assertThat(refused.refused()).hasValueSatisfying(r -> assertThat(r).contains("refusing to prune 3 of 4"));
        assertThat(refused.hold().objects()).containsExactly(a, b, c);
        assertThat(refused.hold().commit()).isEqualTo("c1");

        // a later commit adds 20 objects: 3 of 24 is well under maxPruneShare, and still nothing is deleted
        Pruner.PruneResult later = pruner.prune(PRUNING, List.of(a, b, c), 24, refused.hold(), false, "c2");
        assertThat(later.deleted()).isEmpty();
        assertThat(later.refused()).isEmpty();
        assertThat(later.kept()).containsExactlyInAnyOrder(a, b, c);
        assertThat(later.hold()).isEqualTo(refused.hold());
        assertThat(cluster.calls("delete")).isEmpty();
    }

    @Test
    void newSmallOrphansArePrunedWhileTheHoldStays() {
        InventoryEntry a = inCluster(configMap("a", map("k", "a")));
        InventoryEntry small = inCluster(configMap("small", map("k", "s")));
        var hold = new dev.lockstep.model.PruneHold("c1", List.of(a));

        Pruner.PruneResult result = pruner.prune(PRUNING, List.of(a, small), 10, hold, false, "c2");

        assertThat(result.deleted()).containsExactly(small);
        assertThat(result.kept()).containsExactly(a);
        assertThat(result.hold()).isEqualTo(hold);
    }

    @Test
    void aConfirmationOrAllowMassPruneReleasesTheHold() {
        InventoryEntry a = inCluster(configMap("a", map("k", "a")));
        InventoryEntry b = inCluster(configMap("b", map("k", "b")));
        var hold = new dev.lockstep.model.PruneHold("c1", List.of(a, b));

        Pruner.PruneResult confirmed = pruner.prune(PRUNING, List.of(a, b), 10, hold, true, "c2");

        assertThat(confirmed.deleted()).containsExactlyInAnyOrder(a, b);
        assertThat(confirmed.hold().isEmpty()).isTrue();
        InventoryEntry c = inCluster(configMap("c", map("k", "c")));
        Pruner.PruneResult massAllowed = pruner.prune(
                app(true, 0.5, true), List.of(c), 1, new dev.lockstep.model.PruneHold("c3", List.of(c)), false, "c4");
        assertThat(massAllowed.deleted()).containsExactly(c);
    }

    @Test
    void anObjectBackInGitLeavesTheHoldAndAGrownHoldGetsANewToken() {
        InventoryEntry a = inCluster(configMap("a", map("k", "a")));
        InventoryEntry b = inCluster(configMap("b", map("k", "b")));
        var hold = new dev.lockstep.model.PruneHold("c1", List.of(a, b));

        Pruner.PruneResult backInGit = pruner.prune(PRUNING, List.of(a), 2, hold, false, "c2");
        assertThat(backInGit.hold().objects()).containsExactly(a);
        assertThat(backInGit.hold().token()).isNotEqualTo(hold.token());
        assertThat(cluster.calls("delete")).isEmpty();
    }
}
