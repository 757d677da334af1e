package dev.lockstep.daemon;

import static dev.lockstep.testing.HelloApp.deployment;
import static dev.lockstep.testing.HelloApp.service;
import static dev.lockstep.testing.RolloutWaits.awaitProgressDeadlineExceeded;
import static dev.lockstep.testing.RolloutWaits.awaitRolloutComplete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.lockstep.cli.Main;
import dev.lockstep.config.AppSpec;
import dev.lockstep.testing.DaemonAccount;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The shipped {@code config/deploy/rbac.yaml} is enough, proven: the daemon (leader election, records, Events) runs the
 * seed story (v1, v2, v3 fails, the revert reuses the v2 ReplicaSet) and {@code lockstep history} reads it back, each with a token of a ServiceAccount
 * bound only by that file, not as cluster admin, and no log line says "forbidden".
 */
@RealCluster
class LeastPrivilegeIT {
    private static final Duration ROLLOUT = Duration.ofSeconds(120);
    private static final LeaderElection.Timing FAST =
            new LeaderElection.Timing(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500));

    @TempDir
    Path tmp;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private DaemonAccount account;
    private KubernetesClient client;
    private Daemon daemon;

    @BeforeEach
    void captureLogs() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stop() {
        root.detachAppender(logs);
        if (daemon != null) {
            daemon.close();
        }
        if (client != null) {
            client.close();
        }
        if (account != null) {
            account.close();
        }
    }

    @Test
    void theSeedStoryAndHistoryNeedNothingBeyondTheShippedRbac(TestCluster cluster) throws Exception {
        String ns = cluster.namespace();
        cluster.keepImagesUnready(".*:v3$");
        account = DaemonAccount.bind(cluster, Path.of("config/deploy/rbac.yaml"), Map.of("lockstep-system", ns));
        client = account.newClient();
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        AppSpec spec = TestApps.withInterval(TestApps.hello(repo, ns), Duration.ofMillis(300));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1")).write("app/service.yaml", service(0));
        repo.commit("hello-app v1");
        // the real daemon: leader election (its Lease), records, Events and metrics, all on the restricted token
        daemon = new Daemon(
                        TestApps.config(spec, tmp.resolve("cache")),
                        client,
                        Clock.systemUTC(),
                        Optional.of("lockstep-least-privilege"),
                        FAST,
                        List.of())
                .start();
        awaitRolloutComplete(cluster.client(), ns, "hello-app");
        assertThat(image(cluster)).isEqualTo("080196/hello-app:v1");

        repo.write("app/deployment.yaml", deployment("080196/hello-app:v2"));
        String v2 = repo.commit("image v2");
        await().atMost(ROLLOUT).until(() -> image(cluster).equals("080196/hello-app:v2"));
        awaitRolloutComplete(cluster.client(), ns, "hello-app");

        repo.write("app/deployment.yaml", deployment("080196/hello-app:v3"));
        String v3 = repo.commit("image v3");
        await().atMost(ROLLOUT).until(() -> image(cluster).equals("080196/hello-app:v3"));
        awaitProgressDeadlineExceeded(cluster.client(), ns, "hello-app");

        repo.revert(v3);
        await().atMost(ROLLOUT)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(cluster.client()
                                .apps()
                                .deployments()
                                .withName("hello-app")
                                .get()
                                .getMetadata()
                                .getAnnotations())
                        .as(cluster.describeNamespace())
                        .containsEntry("deployment.kubernetes.io/revision", "4"));
        awaitRolloutComplete(cluster.client(), ns, "hello-app");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(cluster.client()
                                .v1()
                                .events()
                                .inNamespace(ns)
                                .list()
                                .getItems())
                        .as("Events the daemon posted with its own token")
                        .anyMatch(e -> "RolledBack".equals(e.getReason())));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                new PrintWriter(out),
                new PrintWriter(err),
                "history",
                "--config",
                TestApps.writeConfigFile(tmp, ns, repo).toString(),
                "--kubeconfig",
                account.writeKubeconfig(tmp.resolve("lockstep-kubeconfig")).toString(),
                "hello-app");
        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString())
                .contains("deployment " + ns + "/hello-app (app hello, at revision 4: Healthy)")
                .contains("rolled back to 2 (" + v2.substring(0, 7) + ")");
        assertThat(err.toString().toLowerCase(Locale.ROOT)).doesNotContain("forbidden");

        // Other test classes run in this JVM at the same time: a refusal of this daemon names its account.
        List<String> refusals = logs.list.stream()
                .map(e -> e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())))
                .filter(line -> line.contains(account.username()) || line.contains(ns))
                .filter(line -> line.toLowerCase(Locale.ROOT).contains("forbidden"))
                .toList();
        assertThat(refusals).as("log lines of this daemon saying forbidden").isEmpty();
        assertThat(logs.list).as("the capture works").isNotEmpty();
    }

    private static String image(TestCluster cluster) {
        var d = cluster.client().apps().deployments().withName("hello-app").get();
        return d == null
                ? ""
                : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }
}
