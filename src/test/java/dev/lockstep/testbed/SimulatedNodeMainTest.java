package dev.lockstep.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ExitCode;

class SimulatedNodeMainTest {
    private final List<SimulatedNodeMain.Options> started = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs the command line with a body that records the options instead of starting a node. */
    private int run(String... args) {
        return SimulatedNodeMain.execute(
                options -> {
                    started.add(options);
                    return 0;
                },
                new PrintWriter(out),
                new PrintWriter(err),
                args);
    }

    @Test
    void parsesEveryOption(@TempDir Path dir) throws IOException {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\n");

        int code = run(
                "--kubeconfig",
                kubeconfig.toString(),
                "--unready-images",
                ".*:v3$",
                "--ready-delay-ms",
                "250",
                "--node-name=demo-node");

        assertThat(code).as(err.toString()).isZero();
        assertThat(started).hasSize(1);
        SimulatedNodeMain.Options options = started.get(0);
        assertThat(options.kubeconfig()).contains(kubeconfig.toFile());
        assertThat(options.node().nodeName()).isEqualTo("demo-node");
        assertThat(options.node().readyDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(options.node().unreadyImages().matcher("080196/hello-app:v3").matches())
                .isTrue();
        assertThat(options.node().unreadyImages().matcher("080196/hello-app:v2").matches())
                .isFalse();
    }

    @Test
    void defaultsNeedNoArguments() {
        assertThat(run()).isZero();
        assertThat(started).singleElement().satisfies(options -> {
            assertThat(options.kubeconfig()).isEmpty();
            assertThat(options.node()).isEqualTo(SimulatedNodeConfig.defaults());
        });
    }

    @Test
    void helpListsEveryOptionAndStartsNothing() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "--kubeconfig=PATH",
                        "--unready-images=REGEX",
                        "--ready-delay-ms=N",
                        "--node-name=NAME",
                        SimulatedNodeConfig.UNREADY_IMAGES_ANNOTATION);
        assertThat(started).isEmpty();
    }

    @Test
    void rejectsBadInputWithAMessageNamingTheOptionAndTheUsage() {
        assertRejected(
                new String[] {"--ready-delay-ms", "-1"}, "--ready-delay-ms", "needs a whole number >= 0, got -1");
        assertRejected(new String[] {"--ready-delay-ms", "soon"}, "--ready-delay-ms", "got soon");
        assertRejected(new String[] {"--unready-images", "(["}, "--unready-images", "not a regex");
        assertRejected(
                new String[] {"--kubeconfig", "/no/such/file"}, "--kubeconfig", "kubeconfig not found: /no/such/file");
        assertRejected(new String[] {"--node-name", " "}, "--node-name", "must not be blank");
        assertRejected(new String[] {"--frobnicate", "1"}, "--frobnicate", "Unknown option");
        assertRejected(new String[] {"--node-name"}, "--node-name", "Missing required parameter");
    }

    private void assertRejected(String[] args, String option, String problem) {
        err.getBuffer().setLength(0);
        int code = run(args);
        String message = err.toString();
        assertThat(code).as(message).isEqualTo(ExitCode.USAGE);
        assertThat(message.lines().findFirst())
                .as(message)
                .hasValueSatisfying(first -> assertThat(first).contains(option).contains(problem));
        assertThat(message).as("the usage follows the problem").contains("Usage: SimulatedNodeMain");
        assertThat(started).as("no node is started on bad input").isEmpty();
    }
}
