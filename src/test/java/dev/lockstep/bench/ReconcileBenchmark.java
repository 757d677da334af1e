package dev.lockstep.bench;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.daemon.Daemon;
import dev.lockstep.daemon.LeaderElection;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.engine.Engine;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.server.WebhookSecret;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.HelloApp;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.RequestCounter;
import dev.lockstep.testing.TestApps;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lockstep's reconcile pass against {@code kubectl apply --server-side} on the same cluster, in the same run.
 * A program, not a test: it prints figures and asserts nothing about time.
 *
 * <pre>
 *   scripts/local-cluster.sh start bench
 *   mvn -o -Pbench -DskipTests verify \
 *       -Dbench.kubeconfig=$(scripts/local-cluster.sh kubeconfig bench) \
 *       [-Dbench.objects=1000] [-Dbench.repeats=3] [-Dbench.concurrency=8] [-Dbench.out=target/bench/results.md]
 *   scripts/local-cluster.sh stop bench
 * </pre>
 *
 * It creates namespace {@code bench-<random>} (Lockstep's) and {@code bench-<random>-kubectl} (kubectl's: the two never
 * share an object), a git repository with N Deployments (replicas 0: no pods needed) plus N/10 ConfigMaps, and measures
 * first apply, a no-op pass, a new commit that changes nothing the cluster sees, one changed object, a restarted
 * Engine's first pass, and (Lockstep alone) the daemon from a signed webhook push to the new image in the cluster.
 * Lockstep's requests are counted with {@link RequestCounter}; dry runs are reported apart from
 * real writes. The cluster is let settle (controller done, watch caught up) before every measurement. Both namespaces
 * are deleted at the end. Results go to stdout and to {@code bench.out}.
 */
public final class ReconcileBenchmark {
    private static final Pattern KUBECTL_REQUEST = Pattern.compile("\\] (GET|POST|PUT|PATCH|DELETE) https?://");
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration CACHE_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration WEBHOOK_TIMEOUT = Duration.ofMinutes(2);
    private static final byte[] WEBHOOK_SECRET = "bench-webhook-secret".getBytes(StandardCharsets.UTF_8);

    private final Path kubeconfig;
    private final int deployments;
    private final int configMaps;
    private final int objects;
    private final int repeats;
    private final int concurrency;
    private final Path out;
    /** "all" (rows 1-6) or "restart" (only the restart rows and the cold CLI sync rows, 5, 5w, 7, 7w and 8). */
    private final String scenarios;

    private final Path work;
    private final String lsNamespace;
    private final String kcNamespace;
    private final String rawNamespace;
    private final KubernetesClient admin;
    private final GitRepoFixture repo;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> cliCpu = new ArrayList<>();

    private Engine engine;
    private Daemon daemon;
    private KubernetesClient lockstepClient;
    private RequestCounter counter;
    /** nanoTime of the first ReplicaSet LIST since the last reset (0: none), to see what share of a pass they take. */
    private final java.util.concurrent.atomic.AtomicLong firstReplicaSetList =
            new java.util.concurrent.atomic.AtomicLong();

    private ReconcileBenchmark(Path kubeconfig, int deployments, int repeats, int concurrency, Path out)
            throws IOException {
        this.kubeconfig = kubeconfig;
        this.deployments = deployments;
        this.configMaps = deployments / 10;
        this.objects = deployments + configMaps;
        this.repeats = repeats;
        this.concurrency = concurrency;
        this.out = out;
        this.scenarios = System.getProperty("bench.scenarios", "all").strip();
        this.work = Files.createTempDirectory("lockstep-bench-");
        String suffix = randomSuffix();
        this.lsNamespace = "bench-" + suffix;
        this.kcNamespace = "bench-" + suffix + "-kubectl";
        this.rawNamespace = "bench-" + suffix + "-raw";
        this.admin = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeconfig.toFile()))
                .build();
        this.repo = GitRepoFixture.create(work.resolve("repo"));
    }

    public static void main(String[] args) throws Exception {
        String kc = System.getProperty("bench.kubeconfig", "").strip();
        if (kc.isEmpty() || kc.startsWith("${")) {
            System.err.println("""
                    bench.kubeconfig is required; the benchmark starts no cluster of its own. For the local control plane:
                      scripts/local-cluster.sh start bench
                      mvn -o -Pbench -DskipTests verify -Dbench.kubeconfig=$(scripts/local-cluster.sh kubeconfig bench)""");
            System.exit(2);
        }
        Path kubeconfig = Path.of(kc);
        if (!Files.isRegularFile(kubeconfig)) {
            System.err.println("bench.kubeconfig names no file: " + kubeconfig);
            System.exit(2);
        }
        int n = Integer.parseInt(System.getProperty("bench.objects", "1000").strip());
        int repeats = Integer.parseInt(System.getProperty("bench.repeats", "3").strip());
        int concurrency =
                Integer.parseInt(System.getProperty("bench.concurrency", "8").strip());
        Path out = Path.of(
                System.getProperty("bench.out", "target/bench/results.md").strip());
        if (n < 10 || repeats < 1 || concurrency < 1) {
            System.err.println("need bench.objects >= 10, bench.repeats >= 1, bench.concurrency >= 1");
            System.exit(2);
        }
        int code;
        ReconcileBenchmark bench = new ReconcileBenchmark(kubeconfig, n, repeats, concurrency, out);
        try {
            bench.run();
            code = 0;
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        } finally {
            bench.cleanUp();
        }
        System.exit(code); // fabric8's and JGit's pools must not keep the JVM alive
    }

    // ---------------------------------------------------------------- scenarios

    private void run() throws Exception {
        String server = admin.getConfiguration().getMasterUrl();
        String version = admin.getKubernetesVersion().getGitVersion();
        log(
                "cluster %s (%s), %d Deployments + %d ConfigMaps = %d objects, %d repeats, applyConcurrency %d, %d cores for the JVM",
                server,
                version,
                deployments,
                configMaps,
                objects,
                repeats,
                concurrency,
                Runtime.getRuntime().availableProcessors());
        notes.add(String.format(Locale.ROOT, "cluster %s, server %s, kubectl %s", server, version, kubectlVersion()));
        createNamespace(lsNamespace);
        createNamespace(kcNamespace);
        createNamespace(rawNamespace);
        writeManifests();
        repo.commit("bench: " + deployments + " Deployments and " + configMaps + " ConfigMaps");
        Path dir = repo.dir().resolve("app");
        if (scenarios.equals("restart")) {
            restartRows(dir);
            return;
        }

        // 1. first apply: everything is created. Each repeat starts from empty namespaces and a cold git cache.
        Samples lsFirst = new Samples();
        Samples kcFirst = new Samples();
        Samples rawFirst = new Samples();
        for (int r = 0; r < repeats; r++) {
            if (r > 0) {
                closeEngine();
                emptyNamespace(lsNamespace);
                emptyNamespace(kcNamespace);
                emptyNamespace(rawNamespace);
            }
            startEngine("cache-first-" + r);
            lsFirst.add(lockstepPass(PassOutcome.APPLIED));
            settle(lsNamespace);
            kcFirst.add(kubectl(dir));
            settle(kcNamespace);
            rawFirst.add(rawLimit(dir));
            settle(rawNamespace);
        }
        row("1. first apply (create all)", lsFirst, kcFirst);
        rows.add(new Row(
                "1r. raw SSA limit: the same dry run + apply per object, same concurrency, minimal client",
                "raw",
                rawFirst,
                objects));
        notes.add(String.format(
                Locale.ROOT,
                "first apply, medians: lockstep / kubectl = %.2f (target <= 0.5); lockstep's requests/s / raw limit's"
                        + " = %.0f%% (target >= 80%%)",
                (double) lsFirst.median() / kcFirst.median(),
                100.0 * rawFirst.median() / lsFirst.median()));

        // The Deployments just created are followed until their rollouts end; a daemon does this in the background.
        Samples drain = new Samples();
        drain.add(drainRollouts());
        rows.add(Row.lockstep(
                "1b. follow the first apply's rollouts to the end (refreshRollouts, not a pass)", drain, objects));

        // 2. no-op: no new commit.
        awaitCacheCurrent();
        Samples lsNoop = new Samples();
        Samples kcNoop = new Samples();
        for (int r = 0; r < repeats; r++) {
            lsNoop.add(lockstepPass(PassOutcome.UNCHANGED));
            kcNoop.add(kubectl(dir));
            settle(kcNamespace);
        }
        row("2. no-op (no new commit)", lsNoop, kcNoop);
        int kubectlRequests = kubectlRequestCount(dir);
        notes.add("kubectl requests for one unchanged apply of the directory (counted once with -v=6, untimed): "
                + kubectlRequests + " (it sends every object again, whatever changed)");

        // 3. a new commit that only touches a README: Lockstep dry-runs everything and writes nothing to the objects.
        Samples lsReadme = new Samples();
        Samples kcReadme = new Samples();
        for (int r = 0; r < repeats; r++) {
            repo.write("README.md", "bench notes, edit " + r + "\n");
            repo.commit("docs: README edit " + r);
            lsReadme.add(lockstepPass(PassOutcome.UNCHANGED));
            kcReadme.add(kubectl(dir));
            settle(kcNamespace);
        }
        row("3. new commit, nothing changed for the cluster", lsReadme, kcReadme);

        // 4. one Deployment's image changes out of N (a template change: a rollout, commit annotations).
        Samples lsOne = new Samples();
        Samples kcOne = new Samples();
        String changed = name("deploy", deployments / 2);
        for (int r = 0; r < repeats; r++) {
            repo.write("app/" + changed + ".yaml", deployment(changed, "registry.example/bench:v" + (r + 2)));
            repo.commit("bump " + changed + " to v" + (r + 2));
            lsOne.add(lockstepPass(PassOutcome.APPLIED));
            kcOne.add(kubectl(dir));
            settle(lsNamespace);
            settle(kcNamespace);
            drainRollouts();
            awaitCacheCurrent();
        }
        row("4. one Deployment changed out of " + deployments, lsOne, kcOne);

        // 5. restart: a new Engine (new client, new watch caches, cold git cache) on the synced cluster. kubectl has no
        // state to lose, so its figure here is the same unchanged re-apply as in row 2.
        Samples lsRestart = new Samples();
        Samples kcRestart = new Samples();
        for (int r = 0; r < repeats; r++) {
            if (r == 0) {
                memory();
            }
            closeEngine();
            startEngine("cache-restart-" + r);
            lsRestart.add(lockstepPass(PassOutcome.UNCHANGED));
            kcRestart.add(kubectl(dir));
            settle(kcNamespace);
        }
        row("5. restart: new Engine's first pass, cluster in sync", lsRestart, kcRestart);
        notes.add(String.format(
                Locale.ROOT,
                "restart, medians: lockstep / kubectl's unchanged re-apply = %.3f (target <= 0.1)",
                (double) lsRestart.median() / kcRestart.median()));

        // 6. the daemon woken by a signed push webhook: from sending the request to the changed Deployment's new image
        // in the cluster. Lockstep alone (kubectl has no webhook).
        webhookToImage(changed);

        report();
    }

    /**
     * The restart rows alone (issue 25): one untimed first apply by each tool, then a restarted Engine with a cold
     * {@code cacheDir} (5) and with the {@code cacheDir} its predecessor left (5w: a daemon restarted in place), then
     * {@code lockstep sync --no-wait} in a fresh JVM on the in-sync cluster (7: cold cacheDir, 7w: warm), and creating
     * every object into emptied namespaces (8), each against kubectl's unchanged re-apply or its create.
     */
    private void restartRows(Path dir) throws Exception {
        startEngine("cache-warm");
        Sample first = lockstepPass(PassOutcome.APPLIED);
        log("  untimed first apply: %s", ms(first.nanos()));
        drainRollouts();
        settle(lsNamespace);
        kubectl(dir);
        settle(kcNamespace);
        awaitCacheCurrent();

        Samples lsCold = new Samples();
        Samples kcCold = new Samples();
        Samples lsWarm = new Samples();
        Samples kcWarm = new Samples();
        for (int r = 0; r < repeats; r++) {
            closeEngine();
            startEngine("cache-restart-" + r);
            lsCold.add(lockstepPass(PassOutcome.UNCHANGED));
            kcCold.add(kubectl(dir));
            settle(kcNamespace);
            closeEngine();
            startEngine("cache-warm");
            lsWarm.add(lockstepPass(PassOutcome.UNCHANGED));
            kcWarm.add(kubectl(dir));
            settle(kcNamespace);
        }
        closeEngine();
        row("5. restart: new Engine's first pass, cluster in sync, cold cacheDir", lsCold, kcCold);
        row("5w. restart: new Engine's first pass, cluster in sync, the cacheDir its predecessor left", lsWarm, kcWarm);
        ratio("restart, cold cacheDir", lsCold, kcCold, 0.1);
        ratio("restart, warm cacheDir", lsWarm, kcWarm, 0.1);

        Samples cliCold = new Samples();
        Samples kcCliCold = new Samples();
        Samples cliWarm = new Samples();
        Samples kcCliWarm = new Samples();
        Path warmCli = work.resolve("cli-warm");
        cli(warmCli); // fills the warm cacheDir: one untimed run
        for (int r = 0; r < repeats; r++) {
            cliCold.add(cli(work.resolve("cli-cold-" + r)));
            kcCliCold.add(kubectl(dir));
            settle(kcNamespace);
            cliWarm.add(cli(warmCli));
            kcCliWarm.add(kubectl(dir));
            settle(kcNamespace);
        }
        row("7. `lockstep sync --no-wait`, fresh JVM, cluster in sync, cold cacheDir", cliCold, kcCliCold);
        row("7w. `lockstep sync --no-wait`, fresh JVM, cluster in sync, warm cacheDir", cliWarm, kcCliWarm);
        ratio("fresh-JVM sync in sync, cold cacheDir", cliCold, kcCliCold, 0.5);
        ratio("fresh-JVM sync in sync, warm cacheDir", cliWarm, kcCliWarm, 0.5);

        int createRepeats =
                Integer.parseInt(System.getProperty("bench.createRepeats", "1").strip());
        if (createRepeats < 1) {
            report();
            return;
        }
        Samples cliCreate = new Samples();
        Samples kcCreate = new Samples();
        for (int r = 0; r < createRepeats; r++) {
            emptyNamespace(lsNamespace);
            emptyNamespace(kcNamespace);
            cliCreate.add(cli(work.resolve("cli-create-" + r)));
            settle(lsNamespace);
            kcCreate.add(kubectl(dir));
            settle(kcNamespace);
        }
        row("8. `lockstep sync --no-wait`, fresh JVM, creating every object, cold cacheDir", cliCreate, kcCreate);
        ratio("fresh-JVM sync creating everything", cliCreate, kcCreate, 0.5);
        report();
    }

    private void ratio(String what, Samples lockstep, Samples kubectl, double target) {
        notes.add(String.format(
                Locale.ROOT,
                "%s, medians: lockstep / kubectl = %.3f (target <= %s)",
                what,
                (double) lockstep.median() / kubectl.median(),
                target));
    }

    /**
     * {@code lockstep sync --no-wait} in a new JVM, started as {@link #cliWay()} says, JVM start included; its requests are what the command itself prints ("sent N dry runs and M writes").
     */
    private Sample cli(Path cacheDir) throws IOException, InterruptedException {
        Files.createDirectories(cacheDir);
        Path config = TestApps.writeConfigFile(cacheDir, lsNamespace, repo);
        Files.writeString(
                config,
                Files.readString(config).replace(cacheDir.resolve("cli-cache").toString(), cacheDir.toString()));
        Path log = work.resolve("cli.log");
        List<String> cmd = new ArrayList<>();
        Path cpu = work.resolve("cli.cpu");
        boolean timed = Files.isExecutable(Path.of("/usr/bin/time"));
        if (timed) {
            // the process's own CPU (user + system): on a loaded machine its wall time is mostly waiting for a core
            cmd.addAll(List.of("/usr/bin/time", "-f", "%U %S", "-o", cpu.toString()));
        }
        CliWay way = cliWay();
        cmd.addAll(way.command());
        cmd.addAll(List.of("sync", "--no-wait", "--config", config.toString(), "--kubeconfig", kubeconfig.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(way.environment());
        long t0 = System.nanoTime();
        Process p = builder.start();
        int code = p.waitFor();
        long nanos = System.nanoTime() - t0;
        String text = Files.readString(log, StandardCharsets.UTF_8);
        if (code != 0) {
            notes.add("UNEXPECTED: lockstep sync exited " + code);
            log("WARNING: lockstep sync exited %d:%n%s", code, tail(log, 20));
        }
        Matcher m = Pattern.compile("sent (\\d+) dry runs? and (\\d+) writes?").matcher(text);
        int dry = m.find() ? Integer.parseInt(m.group(1)) : -1;
        int writes = dry >= 0 ? Integer.parseInt(m.group(2)) : -1;
        String cpuText = "";
        if (timed && Files.isRegularFile(cpu)) {
            String[] us = Files.readString(cpu).strip().split("\\s+");
            if (us.length == 2) {
                cpuText = String.format(
                        Locale.ROOT, ", CPU %.1f s", Double.parseDouble(us[0]) + Double.parseDouble(us[1]));
                cliCpu.add(cpuText.substring(6));
            }
        }
        log(
                "  lockstep sync (fresh JVM): exit %d in %s%s, %d dry runs, %d writes",
                code, ms(nanos), cpuText, dry, writes);
        notes.removeIf(n -> n.startsWith("fresh-JVM sync, CPU"));
        notes.add("fresh-JVM sync, CPU of the process (user + system) per run, in order: " + cliCpu);
        notes.add("rows 7, 7w and 8: the request column counts the dry runs and writes the command reports itself");
        notes.removeIf(n -> n.startsWith("rows 7, 7w and 8 ran"));
        notes.add("rows 7, 7w and 8 ran " + way.description());
        return new Sample(nanos, dry < 0 ? -1 : dry + writes, dry, writes, Map.of(), 0);
    }

    /**
     * How rows 7, 7w and 8 start Lockstep. {@code -Dbench.cli=launcher} (the default): as users do, through
     * {@code scripts/lockstep} with the jar and its AppCDS archive and the launcher's flags for {@code sync}, falling
     * back to the class path when there is no jar; {@code jar}: {@code java -jar}; {@code classpath}: the earlier way,
     * {@code java -cp <this class path> dev.lockstep.cli.Main}. {@code bench.cliJar} names the jar (default
     * {@code target/lockstep.jar}); {@code bench.cliJvmArgs} adds JVM options in every way (as LOCKSTEP_JAVA_OPTS for
     * the launcher).
     */
    private CliWay cliWay() {
        List<String> jvmArgs = List.of(
                        System.getProperty("bench.cliJvmArgs", "").split(" "))
                .stream()
                .filter(a -> !a.isBlank())
                .toList();
        String jarProperty = System.getProperty("bench.cliJar", "").strip();
        Path jar = jarProperty.isEmpty() || jarProperty.startsWith("${")
                ? Path.of("target", "lockstep.jar")
                : Path.of(jarProperty);
        Path launcher = Path.of("scripts", "lockstep");
        String way = System.getProperty("bench.cli", "launcher").strip();
        boolean runnable = Files.isRegularFile(jar);
        if (way.equals("launcher") && runnable && Files.isExecutable(launcher)) {
            Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".jsa"));
            boolean archived = Files.isRegularFile(archive)
                    && archive.toFile().lastModified() >= jar.toFile().lastModified();
            return new CliWay(
                    List.of(launcher.toString()),
                    Map.of(
                            "LOCKSTEP_JAR", jar.toAbsolutePath().toString(),
                            "JAVA_HOME", System.getProperty("java.home"),
                            "LOCKSTEP_JAVA_OPTS", String.join(" ", jvmArgs)),
                    "as users run it: scripts/lockstep with " + jar
                            + (archived ? " and its AppCDS archive" : " (no current AppCDS archive)"));
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        if (way.equals("jar") && runnable) {
            command.addAll(List.of("-jar", jar.toString()));
            return new CliWay(command, Map.of(), "as java -jar " + jar);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.lockstep.cli.Main"));
        String why = way.equals("classpath") ? "-Dbench.cli=classpath" : "no " + jar + ": build it with mvn package";
        return new CliWay(command, Map.of(), "as java -cp <class path> dev.lockstep.cli.Main (" + why + ")");
    }

    /** A command line that starts Lockstep, its extra environment, and what to call it in the notes. */
    private record CliWay(List<String> command, Map<String, String> environment, String description) {}

    private void row(String scenario, Samples lockstep, Samples kubectl) {
        rows.add(Row.lockstep(scenario, lockstep, objects));
        rows.add(Row.kubectl(scenario, kubectl, objects));
    }

    // ---------------------------------------------------------------- Lockstep

    private void startEngine(String cacheName) {
        counter = new RequestCounter();
        Config config = new io.fabric8.kubernetes.client.ConfigBuilder(Config.fromKubeconfig(kubeconfig.toFile()))
                .withNamespace(lsNamespace)
                .build();
        Interceptor timing = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                if (request.method().equals("GET") && request.uri().getPath().endsWith("/replicasets")) {
                    firstReplicaSetList.compareAndSet(0, System.nanoTime());
                }
            }
        };
        lockstepClient = new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("request-counter", counter)
                        .addOrReplaceInterceptor("bench-timing", timing))
                .build();
        AppSpec app = TestApps.hello(repo, lsNamespace);
        LockstepConfig cfg = new LockstepConfig(
                List.of(app), work.resolve(cacheName), lsNamespace, 0, Optional.empty(), concurrency);
        engine = TestApps.engine(cfg, lockstepClient, ReconcileListener.NONE);
    }

    private void closeEngine() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
        if (lockstepClient != null) {
            lockstepClient.close();
            lockstepClient = null;
        }
    }

    private AppReconciler app() {
        return engine.apps().get(0);
    }

    /** One timed {@code reconcile()}; requests are counted from its start to its end. */
    private Sample lockstepPass(PassOutcome expected) {
        AppReconciler app = app();
        counter.reset();
        firstReplicaSetList.set(0);
        long t0 = System.nanoTime();
        PassOutcome outcome = app.reconcile();
        long end = System.nanoTime();
        long nanos = end - t0;
        List<String> requests = counter.all();
        long rsStart = firstReplicaSetList.get();
        if (outcome != expected) {
            notes.add("UNEXPECTED: a pass returned " + outcome + " where " + expected + " was expected: "
                    + app.status().message());
            log(
                    "WARNING: pass returned %s, expected %s: %s %s",
                    outcome, expected, app.status().message(), app.status().errors());
        }
        Sample s = Sample.of(nanos, requests, rsStart == 0 ? 0 : end - rsStart);
        log(
                "  lockstep: %s in %s, %s%s",
                outcome,
                ms(nanos),
                s.requestSummary(),
                rsStart == 0 ? "" : "; from the first ReplicaSet LIST to the end of the pass: " + ms(end - rsStart));
        return s;
    }

    /** Calls refreshRollouts until nothing is followed any more (what the daemon's 1 s status tick does). */
    private Sample drainRollouts() {
        AppReconciler app = app();
        counter.reset();
        long t0 = System.nanoTime();
        long deadline = t0 + DRAIN_TIMEOUT.toNanos();
        while (true) {
            app.refreshRollouts();
            AppHealth health = app.status().health();
            if (health == AppHealth.HEALTHY) {
                break;
            }
            if (health != AppHealth.PROGRESSING || System.nanoTime() > deadline) {
                notes.add("rollout follow-up ended " + health + ": "
                        + app.status().message());
                break;
            }
            sleep(200);
        }
        long nanos = System.nanoTime() - t0;
        Sample s = Sample.of(nanos, counter.all(), 0);
        log("  lockstep rollouts followed to the end in %s, %s", ms(nanos), s.requestSummary());
        return s;
    }

    /** Until every write of Lockstep's has come back through its watch (no pass is then confused by a stale cache). */
    private void awaitCacheCurrent() {
        long deadline = System.nanoTime() + CACHE_TIMEOUT.toNanos();
        List<ResourceKey> keys = new ArrayList<>();
        for (int i = 0; i < deployments; i++) {
            keys.add(ResourceKey.of("apps/v1", "Deployment", lsNamespace, name("deploy", i)));
        }
        for (int i = 0; i < configMaps; i++) {
            keys.add(ResourceKey.of("v1", "ConfigMap", lsNamespace, name("config", i)));
        }
        while (keys.stream().anyMatch(k -> engine.cluster().live().isStale(k))) {
            if (System.nanoTime() > deadline) {
                Map<String, Long> stale = new TreeMap<>();
                keys.stream()
                        .filter(k -> engine.cluster().live().isStale(k))
                        .forEach(k -> stale.merge(k.kind(), 1L, Long::sum));
                String note =
                        "LiveCache.isStale() still true " + CACHE_TIMEOUT.toSeconds() + " s after the writes, for "
                                + stale + " (the objects themselves are in the cache and current)";
                notes.add(note);
                log("  %s", note);
                return;
            }
            sleep(100);
        }
    }

    /**
     * Scenario 6: the whole daemon (HTTP server, loop, listeners) with a poll interval of an hour, so that only the
     * webhook explains a pass. Each repeat commits a new image for {@code changed}, sends a GitHub-style signed push to
     * {@code /webhook} and takes the time until a watch on that Deployment sees the new image. Requests are those of
     * the daemon's client from sending the webhook to the end of the pass it triggered.
     */
    private void webhookToImage(String changed) throws Exception {
        closeEngine();
        Path secretFile = Files.write(work.resolve("webhook-secret"), WEBHOOK_SECRET);
        counter = new RequestCounter();
        lockstepClient = counter.client(
                new io.fabric8.kubernetes.client.ConfigBuilder(Config.fromKubeconfig(kubeconfig.toFile()))
                        .withNamespace(lsNamespace)
                        .build());
        AppSpec hourly = TestApps.withInterval(TestApps.hello(repo, lsNamespace), Duration.ofHours(1));
        LockstepConfig cfg = new LockstepConfig(
                List.of(hourly), work.resolve("cache-webhook"), lsNamespace, 0, Optional.of(secretFile), concurrency);
        RecordingListener passes = new RecordingListener();
        daemon = new Daemon(
                        cfg,
                        lockstepClient,
                        Clock.systemUTC(),
                        Optional.empty(),
                        LeaderElection.Timing.standard(),
                        List.of(passes))
                .start();
        passes.awaitPasses(0, 1, SETTLE_TIMEOUT, "the daemon's first pass");
        log("  daemon up on port %d, first pass %s", daemon.httpPort(), passes.outcomesSince(0));

        Map<String, Long> imageSeen = new ConcurrentHashMap<>();
        CountDownLatch watching = new CountDownLatch(1);
        HttpClient http = HttpClient.newHttpClient();
        Samples samples = new Samples();
        try (Watch watch = admin.apps()
                .deployments()
                .inNamespace(lsNamespace)
                .withName(changed)
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Deployment d) {
                        imageSeen.putIfAbsent(
                                d.getSpec()
                                        .getTemplate()
                                        .getSpec()
                                        .getContainers()
                                        .get(0)
                                        .getImage(),
                                System.nanoTime());
                        watching.countDown();
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        log("  watch on %s closed: %s", changed, cause.getMessage());
                    }
                })) {
            if (!watching.await(CACHE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the watch on " + changed + " delivered no event");
            }
            for (int r = 0; r < repeats; r++) {
                String image = "registry.example/bench:webhook-" + r;
                repo.write("app/" + changed + ".yaml", deployment(changed, image));
                String sha = repo.commit("webhook bump " + changed + " " + r);
                String body = "{\"ref\":\"refs/heads/main\",\"after\":\"" + sha + "\"}";
                String signature = WebhookSecret.of(WEBHOOK_SECRET).sign(body.getBytes(StandardCharsets.UTF_8));
                java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + daemon.httpPort() + "/webhook"))
                        .header("X-Hub-Signature-256", signature)
                        .header("X-GitHub-Event", "push")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                        .build();
                int mark = passes.passes();
                counter.reset();
                long t0 = System.nanoTime();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 202) {
                    throw new IllegalStateException(
                            "webhook answered " + response.statusCode() + ": " + response.body());
                }
                long deadline = t0 + WEBHOOK_TIMEOUT.toNanos();
                while (!imageSeen.containsKey(image)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                image + " not in the cluster " + WEBHOOK_TIMEOUT + " after the webhook");
                    }
                    sleep(1);
                }
                long nanos = imageSeen.get(image) - t0;
                passes.awaitPasses(mark, 1, WEBHOOK_TIMEOUT, "the pass the webhook triggered");
                if (!passes.outcomesSince(mark).equals(List.of(PassOutcome.APPLIED))) {
                    notes.add("UNEXPECTED: passes after webhook " + r + ": " + passes.outcomesSince(mark)
                            + " (expected one, APPLIED)");
                }
                Sample s = Sample.of(nanos, counter.all(), 0);
                samples.add(s);
                log(
                        "  lockstep: webhook to %s in the cluster in %s; %s until its pass ended",
                        image, ms(nanos), s.requestSummary());
                settle(lsNamespace);
                awaitDaemonHealthyAt(sha);
            }
        }
        rows.add(Row.lockstep(
                "6. signed webhook push → new image in the cluster (daemon, poll interval 1 h)", samples, 0));
    }

    private void awaitDaemonHealthyAt(String sha) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (true) {
            AppStatus status = daemon.loop().statuses().get(0);
            if (status.commit().equals(sha) && status.health() == AppHealth.HEALTHY) {
                return;
            }
            if (System.nanoTime() > deadline) {
                notes.add(
                        "the daemon was not Healthy at " + sha + " within " + SETTLE_TIMEOUT + ": " + status.message());
                return;
            }
            sleep(100);
        }
    }

    // ---------------------------------------------------------------- kubectl

    private Sample kubectl(Path dir) throws IOException, InterruptedException {
        Path log = work.resolve("kubectl.log");
        List<String> cmd = List.of(
                kubectlBinary(),
                "--kubeconfig",
                kubeconfig.toString(),
                "-n",
                kcNamespace,
                "apply",
                "--server-side",
                "--field-manager=bench",
                "-f",
                dir.toString());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        int code = p.waitFor();
        long nanos = System.nanoTime() - t0;
        if (code != 0) {
            throw new IllegalStateException("kubectl apply exited " + code + ":\n" + tail(log, 20));
        }
        log("  kubectl:  exit 0 in %s", ms(nanos));
        return new Sample(nanos, -1, -1, -1, Map.of(), 0);
    }

    private int kubectlRequestCount(Path dir) throws IOException, InterruptedException {
        Path log = work.resolve("kubectl-v6.log");
        Process p = new ProcessBuilder(
                        kubectlBinary(),
                        "--kubeconfig",
                        kubeconfig.toString(),
                        "-n",
                        kcNamespace,
                        "-v=6",
                        "apply",
                        "--server-side",
                        "--field-manager=bench",
                        "-f",
                        dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("kubectl apply -v=6 failed:\n" + tail(log, 20));
        }
        int count = 0;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = KUBECTL_REQUEST.matcher(line);
            if (m.find()) {
                count++;
            }
        }
        settle(kcNamespace);
        return count;
    }

    private static String kubectlBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return Path.of(dir, "kubectl").toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/kubectl"))) {
            return "/usr/bin/kubectl";
        }
        throw new IllegalStateException("kubectl is neither on PATH nor at /usr/bin/kubectl");
    }

    private String kubectlVersion() {
        try {
            Process p = new ProcessBuilder(kubectlBinary(), "version", "--client")
                    .redirectErrorStream(true)
                    .start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Matcher m = Pattern.compile("Client Version: (\\S+)").matcher(text);
            return m.find() ? m.group(1) : text.strip();
        } catch (IOException | InterruptedException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    // ---------------------------------------------------------------- raw limit and memory

    /**
     * The API server's limit for the first apply's requests: a minimal client (fabric8's HTTP client with the same TLS
     * and authentication, no typed model) sends, for every manifest, the same dry run and apply PATCH Lockstep sends,
     * with the same concurrency. Bodies are serialized before the clock starts: only the requests are timed.
     */
    private Sample rawLimit(Path dir) throws Exception {
        tools.jackson.databind.json.JsonMapper json =
                tools.jackson.databind.json.JsonMapper.builder().build();
        List<String[]> requests = new ArrayList<>(); // path, body
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                Map<String, Object> body = new org.yaml.snakeyaml.Yaml().load(Files.readString(f));
                @SuppressWarnings("unchecked")
                Map<String, Object> meta = (Map<String, Object>) body.get("metadata");
                meta.put("namespace", rawNamespace);
                String kind = (String) body.get("kind");
                String path = kind.equals("Deployment")
                        ? "/apis/apps/v1/namespaces/" + rawNamespace + "/deployments/"
                        : "/api/v1/namespaces/" + rawNamespace + "/configmaps/";
                requests.add(new String[] {path + meta.get("name"), json.writeValueAsString(body)});
            }
        }
        String base = admin.getMasterUrl().toString().replaceAll("/+$", "");
        io.fabric8.kubernetes.client.http.HttpClient http = admin.getHttpClient();
        List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(concurrency);
        long t0 = System.nanoTime();
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (String[] r : requests) {
                done.add(pool.submit(() -> {
                    for (String query :
                            List.of("fieldManager=raw&force=true&dryRun=All", "fieldManager=raw&force=true")) {
                        byte[] bytes = r[1].getBytes(StandardCharsets.UTF_8);
                        var request = http.newHttpRequestBuilder()
                                .uri(URI.create(base + r[0] + "?" + query))
                                .method(
                                        "PATCH",
                                        "application/apply-patch+yaml",
                                        new java.io.ByteArrayInputStream(bytes),
                                        (long) bytes.length)
                                .build();
                        var response = http.sendAsync(request, byte[].class).get();
                        if (!response.isSuccessful()) {
                            throw new IllegalStateException(r[0] + ": HTTP " + response.code());
                        }
                        sent.add("PATCH " + r[0] + "?" + query);
                    }
                    return null;
                }));
            }
            for (var f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        long nanos = System.nanoTime() - t0;
        Sample s = Sample.of(nanos, List.copyOf(sent), 0);
        log("  raw limit: %s, %s", ms(nanos), s.requestSummary());
        return s;
    }

    /**
     * The benchmark JVM's memory with the watch cache of every object, then without it (the Engine closed): RSS from
     * /proc and the heap still used after a full GC; the difference divided by N is the cache's bytes per object.
     */
    private void memory() throws IOException {
        long withCache = liveHeapAfterGc();
        long rss = rssBytes();
        closeEngine();
        long without = liveHeapAfterGc();
        notes.add(String.format(
                Locale.ROOT,
                "memory with the watch cache of %d objects (whole benchmark JVM): RSS %d MiB, live heap after GC %d MiB;"
                        + " without the Engine %d MiB; the cache and the Engine's state: %d bytes per object",
                objects,
                rss >> 20,
                withCache >> 20,
                without >> 20,
                (withCache - without) / objects));
        log(
                "  memory: RSS %d MiB, heap after GC %d MiB, without Engine %d MiB",
                rss >> 20, withCache >> 20, without >> 20);
    }

    private static long liveHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            sleep(200);
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean()
                .getHeapMemoryUsage()
                .getUsed();
    }

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- cluster and repository

    private void writeManifests() {
        for (int i = 0; i < deployments; i++) {
            String n = name("deploy", i);
            repo.write("app/" + n + ".yaml", deployment(n, "registry.example/bench:v1"));
        }
        for (int i = 0; i < configMaps; i++) {
            String n = name("config", i);
            repo.write("app/" + n + ".yaml", HelloApp.configMap(n, "value-" + i));
        }
        repo.write("README.md", "bench manifests\n");
    }

    /** replicas 0: no pod is needed, so the controller stays quiet while the passes are measured. */
    static String deployment(String name, String image) {
        return HelloApp.deployment(name, image, 0);
    }

    private static String name(String prefix, int i) {
        return String.format(Locale.ROOT, "%s-%05d", prefix, i);
    }

    private void createNamespace(String ns) {
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .addToLabels("lockstep.dev/bench", "true")
                        .endMetadata()
                        .build())
                .create();
    }

    /**
     * Until the Deployment controller has caught up with every Deployment of the namespace (observed generation,
     * new ReplicaSet available), so one measurement's aftermath does not eat the next one's CPU.
     */
    private void settle(String ns) {
        long t0 = System.nanoTime();
        long deadline = t0 + SETTLE_TIMEOUT.toNanos();
        while (true) {
            List<Deployment> items =
                    admin.apps().deployments().inNamespace(ns).list().getItems();
            long pending = items.stream().filter(d -> !settled(d)).count();
            if (items.size() == deployments && pending == 0) {
                break;
            }
            if (System.nanoTime() > deadline) {
                notes.add(
                        "namespace " + ns + " did not settle within " + SETTLE_TIMEOUT + " (" + pending + " pending)");
                break;
            }
            sleep(500);
        }
        sleep(500); // let the informers' last events and the controller's status writes pass
    }

    private static boolean settled(Deployment d) {
        if (d.getStatus() == null
                || d.getStatus().getObservedGeneration() == null
                || d.getStatus().getObservedGeneration() < d.getMetadata().getGeneration()) {
            return false;
        }
        return d.getStatus().getConditions() != null
                && d.getStatus().getConditions().stream()
                        .anyMatch(c ->
                                "Progressing".equals(c.getType()) && "NewReplicaSetAvailable".equals(c.getReason()));
    }

    /** Deletes every Deployment, ReplicaSet and ConfigMap in the namespace and waits until they are gone. */
    private void emptyNamespace(String ns) {
        long t0 = System.nanoTime();
        admin.apps().deployments().inNamespace(ns).delete();
        admin.apps().replicaSets().inNamespace(ns).delete();
        admin.configMaps().inNamespace(ns).list().getItems().stream()
                .filter(cm -> !cm.getMetadata().getName().equals("kube-root-ca.crt"))
                .forEach(cm -> admin.configMaps().inNamespace(ns).resource(cm).delete());
        long deadline = t0 + SETTLE_TIMEOUT.toNanos();
        while (!admin.apps().deployments().inNamespace(ns).list().getItems().isEmpty()
                || !admin.apps().replicaSets().inNamespace(ns).list().getItems().isEmpty()
                || admin.configMaps().inNamespace(ns).list().getItems().stream()
                        .anyMatch(cm -> !cm.getMetadata().getName().equals("kube-root-ca.crt"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("namespace " + ns + " did not empty within " + SETTLE_TIMEOUT);
            }
            sleep(500);
        }
        log("  emptied %s in %s", ns, ms(System.nanoTime() - t0));
        sleep(1000);
    }

    private void cleanUp() {
        if (daemon != null) {
            daemon.close();
            daemon = null;
        }
        closeEngine();
        repo.close();
        for (String ns : List.of(lsNamespace, kcNamespace, rawNamespace)) {
            try {
                admin.namespaces().withName(ns).delete();
            } catch (RuntimeException e) {
                log("could not delete namespace %s: %s", ns, e.getMessage());
            }
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline
                && (admin.namespaces().withName(lsNamespace).get() != null
                        || admin.namespaces().withName(kcNamespace).get() != null
                        || admin.namespaces().withName(rawNamespace).get() != null)) {
            sleep(1000);
        }
        admin.close();
        try (var walk = Files.walk(work)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log("could not delete %s: %s", work, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- report

    private void report() throws IOException {
        StringBuilder md = new StringBuilder();
        md.append(String.format(
                Locale.ROOT,
                "### N = %d Deployments + %d ConfigMaps (%d objects), applyConcurrency %d, %d repeats%n%n",
                deployments,
                configMaps,
                objects,
                concurrency,
                repeats));
        md.append(
                "| scenario | tool | wall min | wall median | objects/s (median) | API requests total / dry-run / writes |\n");
        md.append("| --- | --- | ---: | ---: | ---: | --- |\n");
        for (Row r : rows) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s |%n",
                    r.scenario(),
                    r.tool(),
                    ms(r.samples().min()),
                    ms(r.samples().median()),
                    r.objects() == 0 || r.samples().median() == 0
                            ? "-"
                            : String.format(
                                    Locale.ROOT,
                                    "%.0f",
                                    r.objects() / (r.samples().median() / 1e9)),
                    r.samples().requestCell()));
        }
        md.append("\nAll runs (ms): ");
        List<String> all = new ArrayList<>();
        for (Row r : rows) {
            all.add(r.scenario().substring(0, r.scenario().indexOf('.')) + " " + r.tool() + " "
                    + r.samples().allMillis());
        }
        md.append(String.join("; ", all)).append("\n\nLockstep requests by kind (last run of each row):\n\n");
        for (Row r : rows) {
            if (r.tool().equals("lockstep")) {
                md.append("- ")
                        .append(r.scenario())
                        .append(": ")
                        .append(r.samples().last().breakdownText())
                        .append('\n');
            }
        }
        md.append('\n');
        notes.stream().distinct().forEach(n -> md.append("- ").append(n).append('\n'));
        String text = md.toString();
        System.out.println();
        System.out.println(text);
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(out, text, StandardCharsets.UTF_8);
        log("written to %s", out.toAbsolutePath());
    }

    // ---------------------------------------------------------------- small helpers

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench] " + format + "%n", args);
        System.out.flush();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static String randomSuffix() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        Random random = new Random();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /**
     * One measurement. Requests: -1 when not counted (kubectl). A dry run is a PATCH with {@code dryRun=All}: counted as
     * a dry run, not a write.
     */
    record Sample(long nanos, int total, int dryRuns, int writes, Map<String, Integer> breakdown, long replicaSetTail) {
        static Sample of(long nanos, List<String> requests, long replicaSetTail) {
            int dry = 0;
            int writes = 0;
            Map<String, Integer> by = new TreeMap<>();
            for (String r : requests) {
                String method = r.substring(0, r.indexOf(' '));
                String path = r.substring(r.indexOf(' ') + 1);
                boolean dryRun = path.contains("dryRun=");
                boolean write = !method.equals("GET") && !dryRun;
                if (dryRun) {
                    dry++;
                } else if (write) {
                    writes++;
                }
                by.merge(method + (dryRun ? " (dry run) " : " ") + resourceOf(path), 1, Integer::sum);
            }
            return new Sample(nanos, requests.size(), dry, writes, by, replicaSetTail);
        }

        /** "deployments", "configmaps", "replicasets (list)", ... from an API path. */
        private static String resourceOf(String path) {
            String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
            String[] parts = p.split("/");
            int ns = -1;
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].equals("namespaces") && i + 2 < parts.length) {
                    ns = i;
                }
            }
            String resource;
            boolean named;
            if (ns >= 0) {
                resource = parts[ns + 2];
                named = parts.length > ns + 3;
            } else {
                resource = parts[parts.length - 1];
                named = false;
            }
            if (query.contains("watch=true")) {
                return resource + " (watch)";
            }
            return resource + (named ? "" : " (list)");
        }

        String requestSummary() {
            return total < 0
                    ? "requests not counted"
                    : total + " requests (" + dryRuns + " dry runs, " + writes + " writes)";
        }

        String breakdownText() {
            if (breakdown.isEmpty()) {
                return total < 0 ? "not counted" : "none";
            }
            List<String> parts = new ArrayList<>();
            breakdown.forEach((k, v) -> parts.add(v + "× " + k));
            return String.join(", ", parts)
                    + (replicaSetTail == 0
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    " (from the first ReplicaSet LIST to the end of the pass: %.0f ms)",
                                    replicaSetTail / 1e6));
        }
    }

    static final class Samples {
        private final List<Sample> samples = new ArrayList<>();

        void add(Sample s) {
            samples.add(s);
        }

        Sample last() {
            return samples.get(samples.size() - 1);
        }

        long min() {
            return samples.stream().mapToLong(Sample::nanos).min().orElse(0);
        }

        /** The middle run; with an even count, the mean of the two middle ones. */
        long median() {
            long[] sorted = samples.stream().mapToLong(Sample::nanos).sorted().toArray();
            if (sorted.length == 0) {
                return 0;
            }
            int mid = sorted.length / 2;
            return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }

        String allMillis() {
            return samples.stream()
                    .map(s -> String.format(Locale.ROOT, "%.0f", s.nanos() / 1e6))
                    .toList()
                    .toString();
        }

        /** The range over runs when they differ, e.g. "2203 / 1100 / 1101" or "1 / 0 / 0-1". */
        String requestCell() {
            if (last().total() < 0) {
                return "-";
            }
            return range(Sample::total) + " / " + range(Sample::dryRuns) + " / " + range(Sample::writes);
        }

        private String range(java.util.function.ToIntFunction<Sample> f) {
            int lo = samples.stream().mapToInt(f).min().orElse(0);
            int hi = samples.stream().mapToInt(f).max().orElse(0);
            return lo == hi ? Integer.toString(lo) : lo + "–" + hi;
        }
    }

    record Row(String scenario, String tool, Samples samples, int objects) {
        static Row lockstep(String scenario, Samples s, int objects) {
            return new Row(scenario, "lockstep", s, objects);
        }

        static Row kubectl(String scenario, Samples s, int objects) {
            return new Row(scenario, "kubectl", s, objects);
        }
    }
}
