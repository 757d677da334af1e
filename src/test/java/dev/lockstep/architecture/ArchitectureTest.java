package dev.lockstep.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.lockstep.cluster.ObjectApi;
import dev.lockstep.git.WrongAdapterImport;
import dev.lockstep.model.WrongWayImport;
import dev.lockstep.plan.LibraryOutsideItsFence;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.pass.WrongWayReport;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.stray.StrayClass;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md, kept by a test: each package imports only packages below it, every product class
 * belongs to a layer (a new package is placed here first), no package cycles, one adapter imports another only as
 * listed in {@link #ALLOWED_ADAPTER_IMPORTS}, and each library stays behind its fence. Product classes only; tests may
 * reach across layers. The coming adapters {@code render}, {@code secrets} and {@code notify} have their place already.
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

    /** Adapters of today and the ones still to come (render, secrets, notify), so they have their place already. */
    static final String[] ADAPTER_PACKAGES = {
        "dev.lockstep.git..",
        "dev.lockstep.manifest..",
        "dev.lockstep.cluster..",
        "dev.lockstep.config..",
        "dev.lockstep.render..",
        "dev.lockstep.secrets..",
        "dev.lockstep.notify.."
    };

    /** model · util → git · manifest · cluster · config · (render · secrets · notify) → plan · rollout · history · writeback → reconcile → daemon · server · metrics → cli */
    static final ArchRule LAYERS = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("model")
            .definedBy("dev.lockstep.model..", "dev.lockstep.util..")
            .layer("adapters")
            .definedBy(ADAPTER_PACKAGES)
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
            .mayOnlyBeAccessedByLayers("logic", "reconcile", "service", "cli")
            .ensureAllClassesAreContainedInArchitecture();

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

    static final ArchRule JGIT_ONLY_IN_GIT = fence(
            "org.eclipse.jgit..", "JGit types stay inside the git adapter", List.of("dev.lockstep.git.."), List.of());

    /**
     * fabric8 lives in cluster; outside it only the classes named here may touch it, each for the reason given.
     * Wiring means: build the client, or hold it long enough to hand it to the cluster adapter.
     */
    static final Map<String, String> FABRIC8_OUTSIDE_CLUSTER = orderedMap(
            "dev.lockstep.cli.KubeClients", "builds the client from a kubeconfig (wiring)",
            "dev.lockstep.cli.RequestTally", "a fabric8 HTTP interceptor the client builder takes (wiring)",
            "dev.lockstep.cli.Main", "maps KubernetesClientException to an exit code and message",
            "dev.lockstep.cli.DiffCommand", "holds the client from KubeClients for the cluster adapter (wiring)",
            "dev.lockstep.cli.PruneCommand", "holds the client from KubeClients for the cluster adapter (wiring)",
            "dev.lockstep.cli.RollbackCommand", "holds the client from KubeClients for the cluster adapter (wiring)",
            "dev.lockstep.cli.RunCommand", "holds the client from KubeClients for the cluster adapter (wiring)",
            "dev.lockstep.cli.SyncCommand", "holds the client from KubeClients for the cluster adapter (wiring)",
            "dev.lockstep.daemon.Daemon", "assembles the daemon around one client (wiring)",
            "dev.lockstep.daemon.LeaderElection",
                    "fabric8's LeaderElector on a Lease: leadership is the daemon's job, not a cluster port");

    static final ArchRule FABRIC8_ONLY_IN_CLUSTER = fence(
            "io.fabric8..",
            "fabric8 stays inside the cluster adapter; only the classes in FABRIC8_OUTSIDE_CLUSTER wire a client into it",
            List.of("dev.lockstep.cluster.."),
            List.copyOf(FABRIC8_OUTSIDE_CLUSTER.keySet()));

    static final ArchRule SNAKEYAML_ONLY_IN_MANIFEST_AND_CONFIG = fence(
            "org.yaml.snakeyaml..",
            "YAML is parsed safely in one place per input (manifests, the daemon's config, kustomization files"
                    + " scanned before kustomize runs; a chart's Chart.yaml, its rendered hook annotations and the"
                    + " inline values handed to Helm in render.helm; SOPS documents: secrets reads them with sops'"
                    + " own YAML 1.2 scalar rules so the MAC matches)",
            List.of(
                    "dev.lockstep.manifest..",
                    "dev.lockstep.config..",
                    "dev.lockstep.render..",
                    "dev.lockstep.secrets.."),
            List.of());

    static final ArchRule HELM_JAVA_ONLY_IN_RENDER_HELM = fence(
            List.of("com.marcnuri.helm..", "com.sun.jna.."),
            "Helm's Go library is loaded through JNA into the process: one package calls it, on its own thread with a"
                    + " timeout, so nothing else can block on native code",
            List.of("dev.lockstep.render.helm.."),
            List.of());

    static final ArchRule JACKSON_ONLY_IN_CLUSTER_AND_SERVER = fence(
            List.of("tools.jackson..", "com.fasterxml.jackson.."),
            "JSON is read and written at the edges only: the app record ConfigMap, raw apply and the watch cache's"
                    + " lists and events (cluster),"
                    + " the JSON feeds and the push webhook (server), the bodies of notifications (notify)",
            List.of("dev.lockstep.cluster..", "dev.lockstep.server..", "dev.lockstep.notify.."),
            List.of());

    static final ArchRule MICROMETER_ONLY_IN_METRICS = fence(
            "io.micrometer..",
            "meters are made in metrics; only the daemon's assembly (Daemon) creates the Prometheus registry",
            List.of("dev.lockstep.metrics.."),
            List.of("dev.lockstep.daemon.Daemon"));

    static final ArchRule BOUNCY_CASTLE_ONLY_IN_GIT = fence(
            "org.bouncycastle..",
            "Bouncy Castle serves git's OpenPGP commit verification (and sshd's EdDSA, at runtime only) and"
                    + " secrets' OpenPGP decryption of a SOPS data key",
            List.of("dev.lockstep.git..", "dev.lockstep.secrets.."),
            List.of());

    static final ArchRule JAGGED_ONLY_IN_SECRETS = fence(
            "com.exceptionfactory.jagged..",
            "age (jagged) decrypts a SOPS data key; only the secrets adapter holds age identities",
            List.of("dev.lockstep.secrets.."),
            List.of());

    static final ArchRule MINA_SSHD_ONLY_IN_GIT = fence(
            "org.apache.sshd..",
            "MINA sshd is git's ssh transport (known hosts, sessions); nothing else speaks ssh",
            List.of("dev.lockstep.git.."),
            List.of());

    static final ArchRule HTTP_SERVER_ONLY_IN_SERVER = fence(
            List.of("org.eclipse.jetty..", "com.sun.net.httpserver.."),
            "HTTP server stays in server: routes see the project's own Exchange, not the server library",
            List.of("dev.lockstep.server.."),
            List.of());

    static final List<ArchRule> LIBRARY_FENCES = List.of(
            JGIT_ONLY_IN_GIT,
            FABRIC8_ONLY_IN_CLUSTER,
            SNAKEYAML_ONLY_IN_MANIFEST_AND_CONFIG,
            JACKSON_ONLY_IN_CLUSTER_AND_SERVER,
            MICROMETER_ONLY_IN_METRICS,
            BOUNCY_CASTLE_ONLY_IN_GIT,
            JAGGED_ONLY_IN_SECRETS,
            MINA_SSHD_ONLY_IN_GIT,
            HTTP_SERVER_ONLY_IN_SERVER,
            HELM_JAVA_ONLY_IN_RENDER_HELM);

    /** {@code from → to} between two adapters, allowed one by one; anything else is a new coupling to argue for. */
    record AdapterImport(String from, String to, String reason) {}

    static final List<AdapterImport> ALLOWED_ADAPTER_IMPORTS = List.of(
            new AdapterImport(
                    "cluster", "manifest", "KubeCluster answers manifest's KindScopes port from API discovery"),
            new AdapterImport(
                    "config",
                    "git",
                    "an app's repository and credentials are read into git's RepoSpec, GitCredentials"),
            new AdapterImport(
                    "config", "manifest", "an app's NamespacePolicy; YAML errors reported as manifest's YamlProblems"),
            new AdapterImport("config", "render", "an app's render: block is read into render's RenderSpec"),
            new AdapterImport(
                    "render",
                    "git",
                    "a render reads the commit's tree (entries, object ids, files) through GitSource, never JGit"));

    static final ArchRule ADAPTERS_IMPORT_ONLY_ALLOWED_ADAPTERS = classes()
            .that()
            .resideInAnyPackage(ADAPTER_PACKAGES)
            .should(importOnlyAllowedAdapters())
            .because("an adapter stands alone; each import of another adapter is listed in ALLOWED_ADAPTER_IMPORTS");

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
        // every fence is checked and reported, not only the first one that fails
        assertAll(LIBRARY_FENCES.stream().map(rule -> () -> rule.check(PRODUCT)));
    }

    @Test
    void adaptersImportOnlyTheAdaptersAllowedOneByOne() {
        ADAPTERS_IMPORT_ONLY_ALLOWED_ADAPTERS.check(PRODUCT);
    }

    @Test
    void everyAllowedAdapterImportIsStillUsed() {
        // a pair nobody uses any more leaves the table, so the table stays the truth
        for (AdapterImport allowed : ALLOWED_ADAPTER_IMPORTS) {
            assertThat(PRODUCT.stream()
                            .filter(c -> allowed.from().equals(adapterOf(c)))
                            .flatMap(c -> c.getDirectDependenciesFromSelf().stream())
                            .anyMatch(d -> allowed.to().equals(adapterOf(d.getTargetClass()))))
                    .as("%s → %s is allowed but unused", allowed.from(), allowed.to())
                    .isTrue();
        }
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
    void theRulesCatchAClassInAnUnlistedPackage() {
        // dev.lockstep.stray is in no layer: the layering rule must refuse it rather than ignore it
        JavaClasses withFixture = new ClassFileImporter().importClasses(StrayClass.class);

        EvaluationResult result = LAYERS.evaluate(withFixture);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line)
                        .contains("dev.lockstep.stray.StrayClass")
                        .contains("not contained in architecture"));
    }

    @Test
    void theRulesCatchAnAdapterImportNotInTheTable() {
        // a test-only git class that uses the cluster adapter: git → cluster is not in ALLOWED_ADAPTER_IMPORTS
        JavaClasses withFixture = new ClassFileImporter().importClasses(WrongAdapterImport.class, ObjectApi.class);

        EvaluationResult result = ADAPTERS_IMPORT_ONLY_ALLOWED_ADAPTERS.evaluate(withFixture);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line)
                        .contains("dev.lockstep.git.WrongAdapterImport")
                        .contains("dev.lockstep.cluster.ObjectApi")
                        .contains("git → cluster"));
    }

    @Test
    void theRulesCatchALibraryOutsideItsFence() {
        // a test-only plan class that builds a Micrometer counter: Micrometer belongs to metrics
        JavaClasses withFixture = new ClassFileImporter().importClasses(LibraryOutsideItsFence.class);

        EvaluationResult result = MICROMETER_ONLY_IN_METRICS.evaluate(withFixture);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line)
                        .contains("dev.lockstep.plan.LibraryOutsideItsFence")
                        .contains("io.micrometer"));
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

    private static ArchRule fence(String library, String because, List<String> packages, List<String> classNames) {
        return fence(List.of(library), because, packages, classNames);
    }

    /** No class outside {@code packages} and {@code classNames} (with their nested classes) may use the library. */
    private static ArchRule fence(
            List<String> libraries, String because, List<String> packages, List<String> classNames) {
        DescribedPredicate<JavaClass> outside = DescribedPredicate.describe(
                "are outside " + packages + (classNames.isEmpty() ? "" : " and the classes " + classNames),
                c -> !resideInAnyPackage(packages.toArray(String[]::new)).test(c)
                        && classNames.stream()
                                .noneMatch(n ->
                                        c.getName().equals(n) || c.getName().startsWith(n + "$")));
        return noClasses()
                .that(outside)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(libraries.toArray(String[]::new))
                .because(because);
    }

    private static ArchCondition<JavaClass> importOnlyAllowedAdapters() {
        return new ArchCondition<>("import only the adapters allowed in ALLOWED_ADAPTER_IMPORTS") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                String from = adapterOf(javaClass);
                for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
                    String to = adapterOf(dependency.getTargetClass());
                    if (to == null || to.equals(from) || isAllowed(from, to)) {
                        continue;
                    }
                    events.add(SimpleConditionEvent.violated(
                            dependency,
                            dependency.getDescription() + " (adapter import " + from + " → " + to
                                    + " is not in ALLOWED_ADAPTER_IMPORTS)"));
                }
            }
        };
    }

    private static boolean isAllowed(String from, String to) {
        return ALLOWED_ADAPTER_IMPORTS.stream()
                .anyMatch(allowed -> allowed.from().equals(from) && allowed.to().equals(to));
    }

    /** The adapter a class belongs to ({@code git}, {@code cluster}, ...), or null outside the adapters layer. */
    private static String adapterOf(JavaClass javaClass) {
        for (String adapterPackage : ADAPTER_PACKAGES) {
            String root = adapterPackage.substring(0, adapterPackage.length() - 2);
            String name = javaClass.getPackageName();
            if (name.equals(root) || name.startsWith(root + ".")) {
                return root.substring("dev.lockstep.".length());
            }
        }
        return null;
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
