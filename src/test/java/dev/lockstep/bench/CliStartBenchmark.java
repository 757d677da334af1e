package dev.lockstep.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The CLI's cold start: {@code lockstep --help}, {@code status} and {@code history} from a fresh JVM, each way in
 * alone and all together ({@code scripts/lockstep}), beside the same question asked of kubectl on the same cluster
 * in the same run. A program, not a test: it prints figures and asserts nothing about time.
 *
 * <pre>
 *   scripts/local-cluster.sh start bench
 *   mvn -o -q -B -DskipTests package      # target/lockstep.jar, target/lockstep.jsa, target/test-classes
 *   java -Dbench.kubeconfig=$(scripts/local-cluster.sh kubeconfig bench) [-Dbench.repeats=7] \
 *       -cp target/test-classes dev.lockstep.bench.CliStartBenchmark
 * </pre>
 *
 * Runs are interleaved (one of each per round) so that the machine's load falls on all of them alike. Each row gives
 * wall time (median, min) and the CPU time of the process (user + sys, median), which the load disturbs less. With
 * {@code -Dbench.classlist=FILE} it also records the classes each command loads into FILE, the list the package
 * step turns into the class-data sharing archive ({@code src/main/cds/lockstep.classlist}). {@code -Dbench.baseline=JAR[,JAR]}
 * adds other builds of the jar (each with its lockstep.jsa beside it) through the same launcher, interleaved with the
 * rest, for a before/after in one run; {@code -Dbench.launcherOnly=true} leaves out the three single-way rows.
 */
public final class CliStartBenchmark {
    private static final Path JAR =
            Path.of(System.getProperty("bench.jar", "target/lockstep.jar")).toAbsolutePath();
    private static final Path ARCHIVE = JAR.resolveSibling("lockstep.jsa");
    private static final Path LAUNCHER = Path.of("scripts", "lockstep").toAbsolutePath();
    private static final List<String> SHORT_JVM =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms16m", "-Xmx512m", "-XX:-UsePerfData");

    private CliStartBenchmark() {}

    public static void main(String[] args) throws Exception {
        String kubeconfig = System.getProperty("bench.kubeconfig", "");
        if (kubeconfig.isBlank()) {
            throw new IllegalArgumentException("-Dbench.kubeconfig=FILE is required (scripts/local-cluster.sh)");
        }
        int repeats = Integer.getInteger("bench.repeats", 7);
        Path work = Files.createTempDirectory("cli-bench");
        String namespace = "cli-bench-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        Path config = HelloRepo.create(work, namespace);
        Map<String, String> env = Map.of("KUBECONFIG", kubeconfig);
        String loadBefore = loadAverage();

        run(env, List.of("kubectl", "create", "namespace", namespace)); // the app's and its record's
        Run synced = run(env, java(List.of(), List.of("sync", "--no-wait", "-c", config.toString())));
        if (synced.code() != 0) {
            throw new IllegalStateException("lockstep sync failed: " + synced.stderr());
        }

        Map<String, List<String>> lockstep = new LinkedHashMap<>();
        lockstep.put("--help", List.of("--help"));
        lockstep.put("status", List.of("status", "-c", config.toString()));
        lockstep.put("history", List.of("history", "-c", config.toString(), "hello-app"));
        Map<String, List<String>> kubectl = Map.of(
                "--help", List.of("kubectl", "--help"),
                "status", List.of("kubectl", "get", "deploy", "-n", namespace),
                "history", List.of("kubectl", "rollout", "history", "deployment/hello-app", "-n", namespace));
        Map<String, java.util.function.Function<List<String>, List<String>>> ways = new LinkedHashMap<>();
        if (!Boolean.getBoolean("bench.launcherOnly")) {
            ways.put("java -jar (default JVM)", a -> java(List.of(), a));
            ways.put("+ AppCDS archive only", a -> java(cds(), a));
            ways.put("+ C1-only JIT, serial GC, small heap only", a -> java(SHORT_JVM, a));
        }
        for (String baseline : System.getProperty("bench.baseline", "").split(",")) {
            if (baseline.isBlank()) {
                continue;
            }
            // another build (its lockstep.jsa beside it), through the same launcher
            Path other = Path.of(baseline).toAbsolutePath();
            ways.put(
                    "scripts/lockstep, baseline " + other.getParent().getFileName() + "/" + other.getFileName(),
                    a -> concat(List.of("env", "LOCKSTEP_JAR=" + other, "bash", LAUNCHER.toString()), a));
        }
        ways.put("scripts/lockstep (all of them)", a -> concat(List.of("bash", LAUNCHER.toString()), a));

        Map<String, String> classes = new LinkedHashMap<>();
        for (var command : lockstep.entrySet()) {
            for (var way : ways.entrySet()) {
                classes.put(
                        command.getKey() + " | " + way.getKey(),
                        classCount(env, way.getValue().apply(withLog(command.getValue(), work, way.getKey()))));
            }
        }
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        for (int round = 0; round < repeats; round++) {
            for (var command : lockstep.entrySet()) {
                runs.computeIfAbsent("kubectl " + command.getKey(), k -> new ArrayList<>())
                        .add(run(env, kubectl.get(command.getKey())));
                for (var way : ways.entrySet()) {
                    Run r = run(env, way.getValue().apply(command.getValue()));
                    if (r.code() > 1 || !r.stderr().isBlank()) { // status: 1 = an app not healthy, still an answer
                        throw new IllegalStateException(way.getKey() + " " + command.getKey() + ": exit " + r.code()
                                + ", stderr: " + r.stderr());
                    }
                    runs.computeIfAbsent(command.getKey() + " | " + way.getKey(), k -> new ArrayList<>())
                            .add(r);
                }
            }
        }

        StringBuilder table = new StringBuilder();
        table.append(String.format(
                Locale.ROOT,
                "CLI start, %s, %s, %d interleaved runs each, load average %s before, %s after%n%n",
                Instant.now(),
                JAR,
                repeats,
                loadBefore,
                loadAverage()));
        table.append(
                "| command | how | wall median | wall min | CPU median | × kubectl (wall median) | classes loaded"
                        + " (from the archive); when the JVM loaded Main, fabric8, TLS, its last class |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        for (var command : lockstep.entrySet()) {
            List<Run> base = runs.get("kubectl " + command.getKey());
            table.append(row(
                    "`" + String.join(" ", kubectl.get(command.getKey())).replace(namespace, "NS") + "`",
                    "kubectl",
                    base,
                    median(base),
                    ""));
            for (var way : ways.entrySet()) {
                List<Run> mine = runs.get(command.getKey() + " | " + way.getKey());
                table.append(row(
                        "`lockstep " + command.getKey() + "`",
                        way.getKey(),
                        mine,
                        median(base),
                        classes.get(command.getKey() + " | " + way.getKey())));
            }
        }
        System.out.print(table);
        String out = System.getProperty("bench.out", "");
        if (!out.isBlank()) {
            Files.createDirectories(Path.of(out).toAbsolutePath().getParent());
            Files.writeString(Path.of(out), table);
        }
        String classlist = System.getProperty("bench.classlist", "");
        if (!classlist.isBlank()) {
            // sync too: a fresh-JVM `sync --no-wait` (the launcher gives it the archive as well) loads the apply path
            List<List<String>> recorded = new ArrayList<>(lockstep.values());
            recorded.add(List.of("sync", "--no-wait", "-c", config.toString()));
            recordClassList(env, work, recorded, Path.of(classlist));
        }
        run(env, List.of("kubectl", "delete", "namespace", namespace, "--wait=false"));
    }

    private static List<String> cds() {
        return List.of("-XX:SharedArchiveFile=" + ARCHIVE, "-Xshare:auto", "-Xlog:cds*=off");
    }

    private static List<String> java(List<String> jvm, List<String> args) {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvm);
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(args);
        return command;
    }

    /** The class+load log option, placed where each way takes JVM options (the launcher: LOCKSTEP_JAVA_OPTS). */
    private static List<String> withLog(List<String> args, Path work, String way) {
        return concat(List.of("#classlog=" + work.resolve(way.replaceAll("\\W", "") + ".classes")), args);
    }

    /** Counts the classes a run loads, and how many came from a class-data sharing archive. */
    private static String classCount(Map<String, String> env, List<String> command) throws Exception {
        String marker = command.stream()
                .filter(a -> a.startsWith("#classlog="))
                .findFirst()
                .orElseThrow();
        Path log = Path.of(marker.substring("#classlog=".length()));
        List<String> real = new ArrayList<>(command);
        real.remove(marker);
        Map<String, String> withEnv = new LinkedHashMap<>(env);
        String option = "-Xlog:class+load:file=" + log;
        if (real.get(0).equals("java")) {
            real.add(1, option);
        } else {
            withEnv.put("LOCKSTEP_JAVA_OPTS", option);
        }
        run(withEnv, real);
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.toList();
            long shared =
                    all.stream().filter(l -> l.contains("shared objects file")).count();
            return String.format(
                    Locale.ROOT,
                    "%,d (%,d); Main %s, fabric8 %s, TLS %s, last %s",
                    all.size(),
                    shared,
                    firstAt(all, " dev.lockstep.cli.Main "),
                    firstAt(all, " io.fabric8."),
                    firstAt(all, " sun.security.ssl."),
                    all.isEmpty() ? "-" : uptime(all.get(all.size() - 1)));
        }
    }

    /** When the JVM loaded the first class whose log line contains {@code part}: a rough profile of the start. */
    private static String firstAt(List<String> classLog, String part) {
        return classLog.stream()
                .filter(l -> l.contains(part))
                .findFirst()
                .map(CliStartBenchmark::uptime)
                .orElse("-");
    }

    private static String uptime(String classLogLine) {
        return classLogLine.substring(1, classLogLine.indexOf(']'));
    }

    private static void recordClassList(
            Map<String, String> env, Path work, Iterable<List<String>> commands, Path classlist) throws Exception {
        Set<String> lines = new LinkedHashSet<>();
        lines.add("# The classes `lockstep --help`, `status`, `history` and `sync` load from a fresh JVM, recorded with"
                + " -XX:DumpLoadedClassList by dev.lockstep.bench.CliStartBenchmark (-Dbench.classlist).");
        lines.add("# `mvn package` turns it into target/lockstep.jsa; a class named here and gone is skipped.");
        int i = 0;
        for (List<String> args : commands) {
            Path dump = work.resolve("classlist-" + i++);
            run(env, java(List.of("-XX:DumpLoadedClassList=" + dump), args));
            Files.readAllLines(dump).stream().filter(l -> !l.startsWith("#")).forEach(lines::add);
        }
        Files.write(classlist, lines);
        System.out.println("wrote " + lines.size() + " lines to " + classlist);
    }

    private static String row(String command, String how, List<Run> runs, long baseMedian, String classes) {
        long median = median(runs);
        long min = runs.stream().mapToLong(Run::wallMillis).min().orElseThrow();
        List<Long> cpu = runs.stream().map(Run::cpuMillis).sorted().toList();
        return String.format(
                Locale.ROOT,
                "| %s | %s | %,d ms | %,d ms | %,d ms | %s | %s |%n",
                command,
                how,
                median,
                min,
                cpu.get(cpu.size() / 2),
                how.equals("kubectl") ? "1" : String.format(Locale.ROOT, "%.1f", (double) median / baseMedian),
                classes);
    }

    private static long median(List<Run> runs) {
        List<Long> wall = runs.stream().map(Run::wallMillis).sorted().toList();
        return wall.get(wall.size() / 2);
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " / " + fields[1] + " / " + fields[2];
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Runs a command under bash's {@code time}, which reports the user and system CPU time of the process and its
     * children; the command's own stdout is discarded and its stderr kept.
     */
    private static Run run(Map<String, String> env, List<String> command) throws Exception {
        Path err = Files.createTempFile("cli-bench", ".err");
        List<String> timed = new ArrayList<>(
                List.of("bash", "-c", "TIMEFORMAT='%3U %3S'; time (\"$@\" >/dev/null 2>\"$ERR\")", "timed"));
        timed.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(timed);
        builder.environment().remove("LOCKSTEP_JAVA_OPTS");
        builder.environment().put("LOCKSTEP_JAR", JAR.toString()); // the launcher starts the jar measured
        builder.environment().putAll(env);
        builder.environment().put("ERR", err.toString());
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process process = builder.start();
        String times = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        long wall = (System.nanoTime() - start) / 1_000_000;
        String stderr = Files.readString(err);
        Files.delete(err);
        String[] cpu = times.substring(times.lastIndexOf('\n') + 1).split(" ");
        long cpuMillis = Math.round((Double.parseDouble(cpu[0]) + Double.parseDouble(cpu[1])) * 1000);
        return new Run(process.exitValue(), wall, cpuMillis, stderr);
    }

    private record Run(int code, long wallMillis, long cpuMillis, String stderr) {}

    /** A bare repository with one Deployment, hello-app, and a config naming it: what `status` and `history` read. */
    private static final class HelloRepo {
        private HelloRepo() {}

        static Path create(Path work, String namespace) throws Exception {
            Path remote = work.resolve("remote.git");
            Path tree = work.resolve("tree");
            Files.createDirectories(tree.resolve("hello"));
            Files.writeString(tree.resolve("hello").resolve("deployment.yaml"), """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: hello-app
                    spec:
                      replicas: 1
                      selector:
                        matchLabels: {app: hello-app}
                      template:
                        metadata:
                          labels: {app: hello-app}
                        spec:
                          containers:
                            - name: web
                              image: nginx:1.25
                    """);
            git(work, "init", "-q", "--bare", "-b", "main", remote.toString());
            git(tree, "init", "-q", "-b", "main");
            git(tree, "add", "-A");
            git(tree, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "-q", "-m", "hello-app v1");
            git(tree, "push", "-q", remote.toUri().toString(), "main");
            Path config = work.resolve("lockstep.yaml");
            Files.writeString(config, """
                    stateNamespace: %s
                    cacheDir: %s
                    apps:
                      - name: hello
                        repo:
                          url: %s
                        path: hello
                        namespace: %s
                    """.formatted(
                            namespace, work.resolve("cache"), "file://" + remote.toAbsolutePath(), namespace));
            return config;
        }

        private static void git(Path dir, String... args) throws Exception {
            List<String> command = concat(List.of("git"), List.of(args));
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(command + ": " + output);
            }
        }
    }
}
