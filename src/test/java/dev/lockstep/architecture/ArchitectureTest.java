package dev.lockstep.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.lockstep.model.WrongWayImport;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.pass.WrongWayReport;
import dev.lockstep.reconcile.report.ReconcileListener;
import org.junit.jupiter.api.Test;

/**
 * The layers of README's "Layout", kept by a test: each package imports only packages below it, no package cycles,
 * and each library stays inside its adapter. Product classes only; tests may reach across layers.
 *
 * <p>Inside {@code reconcile} the rooms point one way too: {@code engine} (the loop, one app's reconciler, write
 * terms, retries) uses {@code report} and {@code pass}; {@code report} (listeners, Events, logs, the status view)
 * reads what a pass left and so uses {@code pass}; {@code pass} (the steps, their results, the app's state) uses
 * neither: a step only records facts, and nothing is reported before the pass has ended.
 */
class ArchitectureTest {
    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.lockstep");

    /** model · util → git · manifest · cluster · config → plan · rollout · history · writeback → reconcile → daemon · server · metrics → cli */
    static final ArchRule LAYERS = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("model")
            .definedBy("dev.lockstep.model..", "dev.lockstep.util..")
            .layer("adapters")
            .definedBy(
                    "dev.lockstep.git..", "dev.lockstep.manifest..", "dev.lockstep.cluster..", "dev.lockstep.config..")
            .layer("logic")
            .definedBy(
                    "dev.lockstep.plan..",
                    "dev.lockstep.rollout..",
                    "dev.lockstep.history..",
                    "dev.lockstep.writeback..")
            .layer("reconcile")
            .definedBy("dev.lockstep.reconcile..")
            .layer("service")
            .definedBy("dev.lockstep.daemon..", "dev.lockstep.server..", "dev.lockstep.metrics..")
            .layer("cli")
            .definedBy("dev.lockstep.cli..")
            .whereLayer("cli")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("service")
            .mayOnlyBeAccessedByLayers("cli")
            .whereLayer("reconcile")
            .mayOnlyBeAccessedByLayers("service", "cli")
            .whereLayer("logic")
            .mayOnlyBeAccessedByLayers("reconcile", "service", "cli")
            .whereLayer("adapters")
            .mayOnlyBeAccessedByLayers("logic", "reconcile", "service", "cli");

    static final ArchRule NO_CYCLES =
            slices().matching("dev.lockstep.(*)..").should().beFreeOfCycles();

    /** engine → report → pass, inside reconcile; see the class comment. */
    static final ArchRule RECONCILE_ROOMS = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("engine")
            .definedBy("dev.lockstep.reconcile.engine..")
            .layer("report")
            .definedBy("dev.lockstep.reconcile.report..")
            .layer("pass")
            .definedBy("dev.lockstep.reconcile.pass..")
            .whereLayer("engine")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("report")
            .mayOnlyBeAccessedByLayers("engine")
            .whereLayer("pass")
            .mayOnlyBeAccessedByLayers("engine", "report");

    static final ArchRule RECONCILE_ROOMS_HAVE_NO_CYCLES =
            slices().matching("dev.lockstep.reconcile.(*)..").should().beFreeOfCycles();

    static final ArchRule NOTHING_LOOSE_IN_RECONCILE = noClasses()
            .should()
            .resideInAPackage("dev.lockstep.reconcile")
            .because("every reconcile class lives in one room: engine, pass or report");

    static final ArchRule JGIT_ONLY_IN_GIT = noClasses()
            .that()
            .resideOutsideOfPackage("dev.lockstep.git..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.eclipse.jgit..")
            .because("JGit types stay inside the git adapter");

    static final ArchRule FABRIC8_ONLY_IN_CLUSTER = noClasses()
            .that()
            .resideOutsideOfPackages("dev.lockstep.cluster..", "dev.lockstep.daemon..", "dev.lockstep.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.fabric8..")
            .because("fabric8 stays inside the cluster adapter; daemon and cli only wire a client into it");

    static final ArchRule SNAKEYAML_ONLY_IN_MANIFEST_AND_CONFIG = noClasses()
            .that()
            .resideOutsideOfPackages("dev.lockstep.manifest..", "dev.lockstep.config..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.yaml.snakeyaml..")
            .because("YAML is parsed safely in one place per input (manifests, the daemon's config)");

    static final ArchRule HTTP_SERVER_ONLY_IN_SERVER = noClasses()
            .that()
            .resideOutsideOfPackage("dev.lockstep.server..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.eclipse.jetty..", "com.sun.net.httpserver..")
            .because("HTTP server stays in server: routes see the project's own Exchange, not the server library");

    @Test
    void eachLayerImportsOnlyTheLayersBelowIt() {
        LAYERS.check(PRODUCT);
    }

    @Test
    void packagesHaveNoCycles() {
        NO_CYCLES.check(PRODUCT);
    }

    @Test
    void reconcileRoomsPointOneWay() {
        RECONCILE_ROOMS.check(PRODUCT);
        RECONCILE_ROOMS_HAVE_NO_CYCLES.check(PRODUCT);
        NOTHING_LOOSE_IN_RECONCILE.check(PRODUCT);
    }

    @Test
    void eachLibraryStaysInItsAdapter() {
        JGIT_ONLY_IN_GIT.check(PRODUCT);
        FABRIC8_ONLY_IN_CLUSTER.check(PRODUCT);
        SNAKEYAML_ONLY_IN_MANIFEST_AND_CONFIG.check(PRODUCT);
        HTTP_SERVER_ONLY_IN_SERVER.check(PRODUCT);
    }

    @Test
    void theRulesCatchAWrongWayImport() {
        // a test-only class in model that uses reconcile: the layering rule must name it
        JavaClasses withFixture = new ClassFileImporter().importClasses(WrongWayImport.class, PassOutcome.class);

        EvaluationResult result = LAYERS.evaluate(withFixture);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line)
                        .contains("dev.lockstep.model.WrongWayImport")
                        .contains("dev.lockstep.reconcile.pass.PassOutcome"));
    }

    @Test
    void theReconcileRuleCatchesAPassThatReportsItself() {
        JavaClasses withFixture = new ClassFileImporter().importClasses(WrongWayReport.class, ReconcileListener.class);

        EvaluationResult result = RECONCILE_ROOMS.evaluate(withFixture);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line)
                        .contains("dev.lockstep.reconcile.pass.WrongWayReport")
                        .contains("dev.lockstep.reconcile.report.ReconcileListener"));
    }
}
