package dev.lockstep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs scripts/local-cluster.sh with its state kept under the build directory (LOCKSTEP_CLUSTER_HOME), so
 * {@code mvn clean} removes it and the control plane's logs sit next to the test reports.
 */
record LocalClusterScript(Path script, Path stateRoot) {

    /** Output and exit code of one script run. */
    record Result(int exitCode, String output) {}

    /** Looks for scripts/local-cluster.sh from the Maven basedir (or working directory) upwards. */
    static LocalClusterScript find() {
        Path start = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts/local-cluster.sh");
            if (Files.isRegularFile(candidate)) {
                return new LocalClusterScript(candidate, dir.resolve("target/local-clusters"));
            }
        }
        throw new IllegalStateException("scripts/local-cluster.sh not found in " + start + " or above");
    }

    /** Runs {@code script command args...}; a timeout kills the script and reports what it printed so far. */
    Result run(Duration timeout, String... commandAndArgs) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(commandAndArgs));
        Path output = null;
        try {
            Files.createDirectories(stateRoot);
            output = Files.createTempFile(stateRoot, "script-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile()) // a file, not a pipe: the daemons it starts must not hold it
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().put("LOCKSTEP_CLUSTER_HOME", stateRoot.toString());
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly); // whatever it started so far
                process.destroyForcibly();
                return new Result(-1, Files.readString(output) + "\n(timed out after " + timeout + ")");
            }
            return new Result(process.exitValue(), Files.readString(output));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}
