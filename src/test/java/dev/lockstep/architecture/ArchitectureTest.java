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
import dev.lockstep.reconcile.PassOutcome;
import org.junit.jupiter.api.Test;

/**
 * The layers of README's "Layout", kept by a test: each package imports only packages below it, no package cycles,
 * and each library stays inside its adapter. Product classes only; tests may reach across layers.
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
                        .contains("dev.lockstep.reconcile.PassOutcome"));
    }
}
