package dev.lockstep.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/lockstep} starts the packaged jar with the class-data sharing archive {@code mvn package} writes
 * beside it ({@code target/lockstep.jsa}), and gives the same answer, with nothing more on stderr, when that archive is
 * missing, older than the jar or not an archive at all. Short commands run C1-only; the daemon keeps the defaults.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("scripts", "lockstep").toAbsolutePath();
    private static final Path JAR = Path.of("target", "lockstep.jar").toAbsolutePath();
    private static final Path ARCHIVE = Path.of("target", "lockstep.jsa").toAbsolutePath();
    private static final String MAIN_CLASS = "dev.lockstep.cli.Main";

    @TempDir
    Path tmp;

    @Test
    void theBuiltArchiveServesLockstepsOwnClasses() throws Exception {
        assertThat(ARCHIVE).as("written by mvn package next to the jar").exists();
        Path classLog = tmp.resolve("classes.log");

        Run run =
                launch(LAUNCHER, Map.of("LOCKSTEP_JAVA_OPTS", "-Xlog:class+load:file=" + classLog), "status", "--help");

        assertThat(run.code()).isZero();
        assertThat(run.stdout()).startsWith("Usage: lockstep status");
        assertThat(run.stderr()).isEmpty();
        assertThat(sourceOf(MAIN_CLASS, classLog)).contains("shared objects file");
    }

    @Test
    void withoutAnArchiveTheAnswerIsTheSameAndNothingIsSaid() throws Exception {
        Path launcher = installedWithout(tmp.resolve("app"));
        Path classLog = tmp.resolve("classes.log");

        Run run =
                launch(launcher, Map.of("LOCKSTEP_JAVA_OPTS", "-Xlog:class+load:file=" + classLog), "status", "--help");

        assertThat(run.code()).isZero();
        assertThat(run.stdout())
                .isEqualTo(launch(LAUNCHER, Map.of(), "status", "--help").stdout());
        assertThat(run.stderr()).isEmpty();
        assertThat(sourceOf(MAIN_CLASS, classLog)).doesNotContain("shared objects file");
    }

    @Test
    void anArchiveOlderThanTheJarIsLeftAside() throws Exception {
        Path launcher = installedWithout(tmp.resolve("app"));
        Path archive = tmp.resolve("app").resolve("lockstep.jsa");
        Files.copy(ARCHIVE, archive);
        Files.setLastModifiedTime(
                archive,
                FileTime.fromMillis(Files.getLastModifiedTime(launcher.resolveSibling("lockstep.jar"))
                                .toMillis()
                        - 60_000));
        Path classLog = tmp.resolve("classes.log");

        Run run =
                launch(launcher, Map.of("LOCKSTEP_JAVA_OPTS", "-Xlog:class+load:file=" + classLog), "status", "--help");

        assertThat(run.code()).isZero();
        assertThat(run.stdout()).startsWith("Usage: lockstep status");
        assertThat(run.stderr()).isEmpty();
        assertThat(sourceOf(MAIN_CLASS, classLog)).doesNotContain("shared objects file");
    }

    @Test
    void aBrokenArchiveCostsSpeedOnly() throws Exception {
        Path launcher = installedWithout(tmp.resolve("app"));
        Files.writeString(launcher.resolveSibling("lockstep.jsa"), "not an archive"); // newer than the jar

        Run run = launch(launcher, Map.of(), "status", "--help");

        assertThat(run.code()).isZero();
        assertThat(run.stdout()).startsWith("Usage: lockstep status");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void helpAndVersionAloneLeaveTheArchiveAsideWithTheSameAnswer() throws Exception {
        Path classLog = tmp.resolve("classes.log");

        Run run = launch(LAUNCHER, Map.of("LOCKSTEP_JAVA_OPTS", "-Xlog:class+load:file=" + classLog), "--help");

        assertThat(run.code()).isZero();
        assertThat(run.stdout())
                .isEqualTo(launch(installedWithout(tmp.resolve("app")), Map.of(), "--help")
                        .stdout());
        assertThat(run.stderr()).isEmpty();
        assertThat(sourceOf(MAIN_CLASS, classLog))
                .as("mapping the archive costs --help more than it saves")
                .doesNotContain("shared objects file");
    }

    @Test
    void shortCommandsRunC1OnlyAndTheDaemonKeepsTheDefaults() throws Exception {
        Map<String, String> flags = Map.of("LOCKSTEP_JAVA_OPTS", "-XX:+PrintFlagsFinal");

        assertThat(flag("TieredStopAtLevel", launch(LAUNCHER, flags, "history", "--help")))
                .isEqualTo("1");
        assertThat(flag("TieredStopAtLevel", launch(LAUNCHER, flags, "run", "--help")))
                .isEqualTo("4");
    }

    /**
     * sync, diff and render make one pass and exit: C1-only and the serial collector halve a cold {@code sync}'s CPU
     * (docs/benchmarks.md), but the heap keeps the JVM's default for repositories with many objects.
     */
    @Test
    void oneShotCommandsRunC1OnlyWithTheSerialCollectorAndTheDefaultHeap() throws Exception {
        Map<String, String> flags = Map.of("LOCKSTEP_JAVA_OPTS", "-XX:+PrintFlagsFinal");
        long shortCommandsHeap = Long.parseLong(flag("MaxHeapSize", launch(LAUNCHER, flags, "status", "--help")));

        for (String command : List.of("sync", "diff", "render")) {
            Run run = launch(LAUNCHER, flags, command, "--help");
            assertThat(flag("TieredStopAtLevel", run)).as(command).isEqualTo("1");
            assertThat(flag("UseSerialGC", run)).as(command).isEqualTo("true");
            assertThat(Long.parseLong(flag("MaxHeapSize", run)))
                    .as(command + ": the default heap, not the short commands' 512 MB")
                    .isNotEqualTo(shortCommandsHeap);
        }
        assertThat(flag("UseSerialGC", launch(LAUNCHER, flags, "run", "--help")))
                .as("the daemon keeps the JVM's default collector")
                .isEqualTo(flag("UseSerialGC", launchJava(flags)));
    }

    @Test
    void logLinesKeepTheirFormatWithoutALogbackXml() throws Exception {
        Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: gone, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: gone, context: {cluster: gone, user: u}}]
                current-context: gone
                """);
        Path config = Files.writeString(tmp.resolve("lockstep.yaml"), """
                apps:
                  - name: hello
                    repo:
                      url: file://%s
                    path: hello
                    namespace: hello
                """.formatted(tmp.resolve("remote.git")));

        Run run = launch(
                LAUNCHER,
                Map.of(),
                "sync",
                "--no-wait",
                "--config",
                config.toString(),
                "--kubeconfig",
                kubeconfig.toString());

        assertThat(run.code()).isEqualTo(4); // the cluster could not be reached
        assertThat(run.stderr().lines())
                .as(run.stderr())
                .isNotEmpty()
                .allMatch(line -> line.matches(
                        "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN |ERROR) \\w+ - app hello: .*"));
    }

    /** A copy of the launcher and the jar side by side, as the image installs them, without an archive. */
    private static Path installedWithout(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path launcher = Files.copy(LAUNCHER, dir.resolve("lockstep"));
        Files.copy(JAR, dir.resolve("lockstep.jar"));
        assertThat(launcher.toFile().setExecutable(true)).isTrue();
        return launcher;
    }

    private static String sourceOf(String className, Path classLog) throws IOException {
        return Files.readAllLines(classLog).stream()
                .filter(line -> line.contains(" " + className + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(className + " not loaded, per " + classLog));
    }

    private static String flag(String name, Run run) {
        assertThat(run.code()).isZero();
        return run.stdout()
                .lines()
                .filter(line -> line.trim().matches("\\S+\\s+" + name + "\\s+=.*"))
                .map(line -> line.replaceAll(".*=\\s*(\\S+).*", "$1"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not printed"));
    }

    private static Run launch(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("LOCKSTEP_JAVA_OPTS");
        builder.environment().remove("LOCKSTEP_JAR");
        builder.environment().putAll(env);
        Path stderr = Files.createTempFile("launcher", ".err");
        builder.redirectError(stderr.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        try {
            return new Run(process.exitValue(), stdout, Files.readString(stderr));
        } finally {
            Files.delete(stderr);
        }
    }

    /** The JVM's own defaults on this machine: the java the launcher picks (JAVA_HOME's, else PATH's), bare. */
    private static Run launchJava(Map<String, String> env) throws Exception {
        String javaHome = System.getenv("JAVA_HOME");
        Path homeJava = javaHome == null ? null : Path.of(javaHome, "bin", "java");
        String java = homeJava != null && Files.isExecutable(homeJava) ? homeJava.toString() : "java";
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(env.getOrDefault("LOCKSTEP_JAVA_OPTS", "").split(" ")));
        command.add("-version");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), stdout, "");
    }

    private record Run(int code, String stdout, String stderr) {}
}
