package dev.lockstep.cli;

import static dev.lockstep.testing.HelloApp.configMap;
import static dev.lockstep.testing.HelloApp.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.reconcile.engine.Engine;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.testing.FakeCluster;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.TestApps;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every exit code {@code lockstep sync --help} documents, each from the situation it names, through the command's own
 * pass-and-follow code on an in-memory cluster that fails on demand. A failed rollout (exit 1) needs the Deployment
 * controller's ReplicaSets: CliIT shows it, with 0 and 3, on a real API server.
 */
class SyncExitCodeTest {
    @TempDir
    Path tmp;

    /** What a test arranges before {@code sync} runs. */
    @FunctionalInterface
    interface Situation {
        void arrange(GitRepoFixture repo, FakeCluster cluster, Path tmp) throws Exception;
    }

    static Stream<Arguments> situations() {
        return Stream.of(
                Arguments.of(
                        "every app healthy at its head",
                        (Situation) (repo, cluster, tmp) -> {
                            repo.write("app/settings.yaml", configMap("settings", "v1"));
                            repo.commit("settings v1");
                        },
                        ExitCode.OK,
                        "app hello: applied at commit "),
                Arguments.of(
                        "a pass crashed",
                        (Situation) (repo, cluster, tmp) -> {
                            repo.write("app/settings.yaml", configMap("settings", "v1"));
                            repo.commit("settings v1");
                            cluster.failReads(new NullPointerException("a bug"));
                        },
                        ExitCode.FAILED,
                        "app hello: the pass crashed (a bug in Lockstep; the log has its stack trace): internal error:"
                                + " java.lang.NullPointerException: a bug"),
                Arguments.of(
                        "a commit refused",
                        (Situation) (repo, cluster, tmp) -> {
                            repo.write("app/broken.yaml", "kind: ConfigMap\nmetadata:\n  name: x\n");
                            repo.commit("forgot apiVersion");
                        },
                        ExitCode.REJECTED,
                        "app/broken.yaml:1: "),
                Arguments.of(
                        "git unreachable",
                        (Situation) (repo, cluster, tmp) -> {
                            repo.write("app/settings.yaml", configMap("settings", "v1"));
                            repo.commit("settings v1");
                            Files.move(repo.dir(), tmp.resolve("moved-away"));
                        },
                        ExitCode.UNAVAILABLE,
                        "app hello: git: "),
                Arguments.of(
                        "rollouts still progressing at --timeout",
                        (Situation) (repo, cluster, tmp) -> {
                            // no controller here: the Deployment never reports a rollout
                            repo.write("app/deployment.yaml", deployment("080196/hello-app:v1"));
                            repo.commit("hello-app v1");
                        },
                        ExitCode.TIMEOUT,
                        "timed out waiting for rollouts"));
    }

    @ParameterizedTest(name = "{0}: exit {2}")
    @MethodSource("situations")
    void exitsWithTheDocumentedCode(String name, Situation situation, int code, String said) throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        FakeCluster cluster = new FakeCluster();
        situation.arrange(repo, cluster, tmp);
        LockstepConfig config = TestApps.config(TestApps.hello(repo, "shop"), tmp.resolve("cache"));
        StringWriter buffer = new StringWriter();
        PrintWriter out = new PrintWriter(buffer);
        ConsoleListener console = new ConsoleListener(out, false);
        SyncCommand command = new SyncCommand();
        command.timeout = Duration.ofSeconds(1);

        int exit;
        try (Engine engine = new Engine(config, cluster.port(), console, Clock.systemUTC())) {
            exit = command.sync(engine, console, () -> "sent N dry runs and M writes", out, Clock.systemUTC());
        }

        out.flush();
        assertThat(exit).as(buffer.toString()).isEqualTo(code);
        assertThat(buffer.toString()).contains(said);
    }

    @Test
    void badConfigurationExitsTwo() throws Exception {
        Path config = Files.writeString(tmp.resolve("lockstep.yaml"), "apps: []\nintreval: 5s\n");
        CliTest.Result r = CliTest.run("sync", "--config", config.toString());
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("intreval: unknown field");
    }

    @Test
    void everyPassOutcomeHasAnExitCodeAndOnlySuccessIsZero() {
        assertThat(Arrays.stream(PassOutcome.values()).filter(o -> SyncCommand.exitCode(o) == ExitCode.OK))
                .containsExactlyInAnyOrder(PassOutcome.UNCHANGED, PassOutcome.APPLIED, PassOutcome.HEALED);
    }

    @Test
    void theHelpListsEveryExitCode() {
        assertThat(CliTest.run("sync", "--help").out())
                .contains("0   every app is healthy at its git head")
                .contains("1   a rollout failed (e.g. ProgressDeadlineExceeded), or a pass crashed")
                .contains("2   bad usage or configuration")
                .contains("3   a commit was refused")
                .contains("4   git or the cluster could not be reached")
                .contains("5   rollouts still progressing at --timeout");
    }
}
