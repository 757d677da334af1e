package dev.lockstep.reconcile.engine;

import static dev.lockstep.testing.HelloApp.configMap;
import static dev.lockstep.testing.HelloApp.deployment;
import static dev.lockstep.testing.HelloApp.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.lockstep.cluster.KubeEventPoster;
import dev.lockstep.config.AppSpec;
import dev.lockstep.metrics.MetricsListener;
import dev.lockstep.model.ServiceAccountRef;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.EventReporter;
import dev.lockstep.reconcile.report.PassReport;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.DaemonAccount;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each app applies as its own ServiceAccount, and Kubernetes RBAC itself confines it: the daemon runs with a token bound
 * only to the shipped {@code config/deploy/impersonation/rbac-impersonation.yaml} (it may not write any app object
 * itself), and the app impersonates the file's example tenant account {@code hello-deployer}, which may not write
 * Secrets.
 */
@RealCluster
class ImpersonationIT {
    private static final Path RBAC = Path.of("config/deploy/impersonation/rbac-impersonation.yaml");

    @TempDir
    Path tmp;

    private DaemonAccount account;
    private KubernetesClient daemonClient;
    private Engine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        if (daemonClient != null) {
            daemonClient.close();
        }
        if (account != null) {
            account.close();
        }
    }

    @Test
    void anAppWhoseServiceAccountMayNotWriteSecretsHasACommitWithASecretRefusedWhole(TestCluster cluster)
            throws Exception {
        String ns = cluster.namespace();
        account = DaemonAccount.bind(cluster, RBAC, Map.of("lockstep-system", ns, "hello", ns));
        daemonClient = account.newClient();
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1"))
                .write("app/service.yaml", service(0))
                .write("app/config.yaml", configMap("settings", "one"));
        String v1 = repo.commit("hello-app v1");
        ServiceAccountRef deployer = new ServiceAccountRef(ns, "hello-deployer");
        AppSpec app = AppSpecs.withServiceAccount(TestApps.hello(repo, ns), Optional.of(deployer));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ReconcileListener listener = ReconcileListener.all(List.of(
                new MetricsListener(registry),
                new EventReporter(new KubeEventPoster(daemonClient, Clock.systemUTC()), ns)));
        engine = TestApps.engine(TestApps.config(app, tmp.resolve("cache")), daemonClient, listener);
        AppReconciler hello = engine.apps().get(0);

        try (LogCapture log = new LogCapture(PassReport.class)) {
            assertThat(hello.reconcile()).as(hello.status().toString()).isEqualTo(PassOutcome.APPLIED);
            assertThat(cluster.client()
                            .apps()
                            .deployments()
                            .withName("hello-app")
                            .get())
                    .isNotNull();
            KubernetesClientException own = catchThrowableOfType(
                    KubernetesClientException.class,
                    () -> daemonClient
                            .apps()
                            .deployments()
                            .inNamespace(ns)
                            .withName("hello-app")
                            .edit(d -> new DeploymentBuilder(d)
                                    .editSpec()
                                    .withReplicas(1)
                                    .endSpec()
                                    .build()));
            assertThat(own.getCode())
                    .as("the daemon's own account writes no app object: the apply above was the ServiceAccount's")
                    .isEqualTo(403);

            repo.write("app/deployment.yaml", deployment("080196/hello-app:v2"))
                    .write("app/config.yaml", configMap("settings", "two"))
                    .write("app/secret.yaml", """
                            apiVersion: v1
                            kind: Secret
                            metadata: {name: creds}
                            stringData: {password: hunter2}
                            """);
            String bad = repo.commit("v2 with a Secret");

            assertThat(hello.reconcile()).isEqualTo(PassOutcome.STALLED);

            // the cluster stays at v1: nothing of the commit, not even the objects the account may write
            assertThat(cluster.client().secrets().withName("creds").get()).isNull();
            assertThat(cluster.client()
                            .apps()
                            .deployments()
                            .withName("hello-app")
                            .get()
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo("080196/hello-app:v1");
            assertThat(cluster.client().configMaps().withName("settings").get().getData())
                    .containsEntry("value", "one");
            assertThat(hello.status().commit()).isEqualTo(v1);
            String expected =
                    "forbidden: ServiceAccount " + ns + "/hello-deployer may not patch Secret/" + ns + "/creds";
            assertThat(String.join("\n", hello.status().errors()))
                    .contains("commit " + bad.substring(0, 7))
                    .contains(expected)
                    .contains("nothing of this commit was applied")
                    .doesNotContain("hunter2");
            assertThat(log.lines())
                    .anySatisfy(l -> assertThat(l).startsWith("ERROR").contains(expected));
            assertThat(registry.scrape()).contains("lockstep_writes_forbidden_total{app=\"hello\"} 1.0");
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(cluster.client()
                                    .v1()
                                    .events()
                                    .inNamespace(ns)
                                    .list()
                                    .getItems())
                            .filteredOn(e -> "WriteForbidden".equals(e.getReason()))
                            .singleElement()
                            .extracting(Event::getMessage)
                            .asString()
                            .contains(expected));
        }
    }

    @Test
    void aCommitRefusedForWantOfRightsLandsWithoutANewCommitOnceTheRoleIsGranted(TestCluster cluster) throws Exception {
        String ns = cluster.namespace();
        account = DaemonAccount.bind(cluster, RBAC, Map.of("lockstep-system", ns, "hello", ns));
        daemonClient = account.newClient();
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/config.yaml", configMap("settings", "one"));
        repo.commit("config");
        AppSpec app = AppSpecs.withServiceAccount(
                TestApps.hello(repo, ns), Optional.of(new ServiceAccountRef(ns, "hello-deployer")));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        engine = TestApps.engine(
                TestApps.config(app, tmp.resolve("cache")), daemonClient, new MetricsListener(registry));
        AppReconciler hello = engine.apps().get(0);
        assertThat(hello.reconcile()).as(hello.status().toString()).isEqualTo(PassOutcome.APPLIED);
        repo.write("app/secret.yaml", """
                apiVersion: v1
                kind: Secret
                metadata: {name: creds}
                stringData: {password: hunter2}
                """);
        String withSecret = repo.commit("add a Secret");

        // refused: hello-deployer may not write Secrets
        assertThat(hello.reconcile()).isEqualTo(PassOutcome.STALLED);
        assertThat(hello.status().health()).isEqualTo(AppHealth.STALLED);
        assertThat(hello.status().message()).contains("the same commit is tried again in 5 s (refusal 1)");
        assertThat(String.join("\n", hello.status().errors()))
                .contains("forbidden: ServiceAccount " + ns + "/hello-deployer may not patch Secret/" + ns + "/creds");
        assertThat(registry.scrape()).contains("lockstep_writes_forbidden_total{app=\"hello\"} 1.0");
        assertThat(cluster.client().secrets().withName("creds").get()).isNull();

        // a person grants the Role; nobody pushes a new commit, nobody restarts anything
        cluster.client()
                .rbac()
                .roles()
                .resource(new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
                        .withNewMetadata()
                        .withName("hello-deployer-secrets")
                        .endMetadata()
                        .addNewRule()
                        .withApiGroups("")
                        .withResources("secrets")
                        .withVerbs("get", "list", "watch", "create", "update", "patch", "delete")
                        .endRule()
                        .build())
                .create();
        cluster.client()
                .rbac()
                .roleBindings()
                .resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("hello-deployer-secrets")
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "Role", "hello-deployer-secrets")
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName("hello-deployer")
                        .withNamespace(ns)
                        .endSubject()
                        .build())
                .create();

        await("the same commit lands once its retry is due")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> hello.reconcile() == PassOutcome.APPLIED);
        assertThat(cluster.client().secrets().withName("creds").get()).isNotNull();
        assertThat(hello.status().commit()).isEqualTo(withSecret);
        assertThat(hello.status().health()).isNotEqualTo(AppHealth.STALLED);
        assertThat(hello.status().errors()).isEmpty();
        assertThat(registry.scrape())
                .as("the refusals were counted meanwhile")
                .containsPattern("lockstep_writes_forbidden_total\\{app=\"hello\"\\} [1-9]");
    }

    @Test
    void anAccountTheDaemonMayNotBecomeIsRefusedNamingIt(TestCluster cluster) throws Exception {
        String ns = cluster.namespace();
        account = DaemonAccount.bind(cluster, RBAC, Map.of("lockstep-system", ns, "hello", ns));
        daemonClient = account.newClient();
        cluster.client()
                .serviceAccounts()
                .resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("cluster-admin-ish")
                        .endMetadata()
                        .build())
                .create();
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/config.yaml", configMap("settings", "one"));
        repo.commit("config");
        AppSpec app = AppSpecs.withServiceAccount(
                TestApps.hello(repo, ns), Optional.of(new ServiceAccountRef(ns, "cluster-admin-ish")));
        engine = TestApps.engine(TestApps.config(app, tmp.resolve("cache")), daemonClient, ReconcileListener.NONE);
        AppReconciler hello = engine.apps().get(0);

        assertThat(hello.reconcile()).isEqualTo(PassOutcome.STALLED);

        assertThat(String.join("\n", hello.status().errors()))
                .contains("forbidden: Lockstep may not impersonate ServiceAccount " + ns + "/cluster-admin-ish")
                .contains("rbac-impersonation.yaml");
        assertThat(cluster.client().configMaps().withName("settings").get()).isNull();
    }
}
