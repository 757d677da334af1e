package dev.lockstep.cli;

import static dev.lockstep.testing.HelloApp.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.ObservedEngine;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refused mass prune cannot be diluted: on a real API server, the held objects survive a later commit that grows the
 * inventory, until {@code lockstep prune --app hello --confirm} confirms exactly that hold.
 */
@RealCluster
class PruneGuardIT {
    @TempDir
    Path tmp;

    private final ObservedEngine engine = new ObservedEngine();
    private final LogCapture log = new LogCapture("dev.lockstep");

    @AfterEach
    void close() {
        engine.close();
        log.close();
    }

    private static List<String> configMaps(TestCluster cluster) {
        return cluster.client().configMaps().list().getItems().stream()
                .map(c -> c.getMetadata().getName())
                .filter(n -> !n.startsWith("lockstep-app-") && !n.equals("kube-root-ca.crt"))
                .sorted()
                .toList();
    }

    private static CliTest.Result lockstep(TestCluster cluster, Path config, String... more) {
        String[] args = new String[6 + more.length];
        args[0] = "prune";
        args[1] = "--config";
        args[2] = config.toString();
        args[3] = "--kubeconfig";
        args[4] = cluster.kubeconfig().toString();
        args[5] = "--app=hello";
        System.arraycopy(more, 0, args, 6, more.length);
        return CliTest.run(args);
    }

    private double counted(String name) {
        var counter = engine.registry().find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aHeldPruneSurvivesAGrowingInventoryUntilAPersonConfirms(TestCluster cluster) throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        for (String name : List.of("a", "b", "c", "d")) {
            repo.write("app/" + name + ".yaml", configMap(name, name));
        }
        repo.commit("four settings");
        AppReconciler app = engine.start(cluster, TestApps.hello(repo, cluster.namespace()), tmp.resolve("cache"));
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(configMaps(cluster)).containsExactly("a", "b", "c", "d");

        repo.delete("app/a.yaml").delete("app/b.yaml").delete("app/c.yaml");
        repo.commit("drop three of four");
        app.reconcile();
        assertThat(configMaps(cluster)).as("refused: 75% > maxPruneShare").containsExactly("a", "b", "c", "d");
        assertThat(counted("lockstep.prune.refusals")).isEqualTo(1);

        for (int i = 0; i < 20; i++) {
            repo.write("app/more-" + i + ".yaml", configMap("more-" + i, "x"));
        }
        repo.commit("twenty more settings");
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        assertThat(configMaps(cluster))
                .as("3 of 24 is under maxPruneShare, and they are still held")
                .contains("a", "b", "c", "d")
                .hasSize(24);
        assertThat(app.status().errors()).anySatisfy(e -> assertThat(e).startsWith("prune held: 3 objects"));
        assertThat(counted("lockstep.prune.held")).isEqualTo(1);
        assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("WARN app hello: prune held: 3 objects"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(
                                cluster.client().v1().events().list().getItems())
                        .anySatisfy(e -> {
                            assertThat(e.getReason()).isEqualTo("PruneHeld");
                            assertThat(e.getInvolvedObject().getName()).isEqualTo("lockstep-app-hello");
                            assertThat(e.getMessage()).contains("prune held: 3 objects");
                        }));

        Path file = TestApps.writeConfigFile(tmp, cluster.namespace(), repo);
        CliTest.Result shown = lockstep(cluster, file);
        assertThat(shown.code()).as(shown.err()).isZero();
        String ns = cluster.namespace();
        assertThat(shown.out())
                .contains("app hello: 3 objects held since commit")
                .contains("ConfigMap/" + ns + "/a", "ConfigMap/" + ns + "/b", "ConfigMap/" + ns + "/c")
                .contains("run again with --confirm to delete them");
        assertThat(app.reconcile()).isIn(PassOutcome.UNCHANGED, PassOutcome.HEALED);
        assertThat(configMaps(cluster)).as("showing confirms nothing").contains("a", "b", "c");

        CliTest.Result confirmed = lockstep(cluster, file, "--confirm");
        assertThat(confirmed.code()).as(confirmed.err()).isZero();
        assertThat(confirmed.out()).contains("confirmed: " + MetadataKeys.CONFIRM_PRUNE + "=");
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(configMaps(cluster))
                .doesNotContain("a", "b", "c")
                .contains("d")
                .hasSize(21);
        assertThat(app.status().errors()).isEmpty();
    }
}
