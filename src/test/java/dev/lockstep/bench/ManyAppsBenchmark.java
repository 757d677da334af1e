package dev.lockstep.bench;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.git.GitCredentials;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.git.SecretSource;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.engine.Engine;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.GitHttpServer;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.HelloApp;
import dev.lockstep.testing.RequestCounter;
import dev.lockstep.testing.TestApps;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.eclipse.jgit.api.Git;

/**
 * Many apps, many objects: {@code bench.apps} apps (default 100) of {@code bench.perApp} objects each (default 100,
 * so 10,000 objects), all in one repository and branch. {@code bench.kind} is {@code ConfigMap} (default) or
 * {@code Deployment} (with {@code replicas: 0}, so no pods: the controller still makes a ReplicaSet each, and every
 * Deployment's rollout is followed to its end, as the daemon does). Measured in one run on one cluster:
 *
 * <ol>
 *   <li>the first sync of a tenth of the apps (N/10 objects) and of all of them (N objects), each by a fresh Engine into
 *       its own empty namespace, one app after another: linear in N when objects/s stays the same;
 *   <li>with Deployments, the first sync's rollouts followed to their end as the daemon does (each app's rollouts
 *       polled once a second), their requests counted by kind and by app;
 *   <li>a no-op round: a second pass of every app with no new commit, its API requests counted by kind and by app
 *       (target: 0 besides the one git ls-remote they share);
 *   <li>{@code kubectl apply --server-side} of the same N files (create, then unchanged re-apply), for the ratios;
 *   <li>memory of this JVM with the N-object Engine open after its no-op round: live heap after GC and RSS, less a
 *       baseline taken before any Engine started, per cached object;
 *   <li>git requests at the repository's HTTP server (GitHttpServer) per round of passes: ls-remotes and fetches for
 *       all apps together (target: one ls-remote and at most one fetch, not one per app).
 * </ol>
 *
 * With {@code bench.apps=1} (one app of {@code bench.perApp} objects) there is no tenth round. {@code
 * bench.kubectl=false} leaves out kubectl; {@code bench.heapDump=<dir>} writes a heap dump beside the class histogram
 * that the memory reading always prints.
 *
 * <p>Run: {@code mvn -o -Pbench -DskipTests verify -Dbench.program=ManyAppsBenchmark -Dbench.kubeconfig=...}; see
 * docs/benchmarks.md, "Many apps". A program, not a test: it prints figures and asserts nothing about time.
 */
public final class ManyAppsBenchmark {
    private final Path kubeconfig;
    private final int apps;
    private final int perApp;
    private final boolean deployments;
    private final int concurrency;
    /** Whether to time kubectl too ({@code bench.kubectl}, default true); off for a memory-only run. */
    private final boolean withKubectl = Boolean.parseBoolean(System.getProperty("bench.kubectl", "true"));

    private final Path out;
    private final Path work;
    private final String suffix;
    private final KubernetesClient admin;
    private final GitRepoFixture repo;
    private final Path token;
    private final List<String> lines = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();

    private ManyAppsBenchmark(Path kubeconfig, int apps, int perApp, boolean deployments, int concurrency, Path out)
            throws IOException {
        this.kubeconfig = kubeconfig;
        this.apps = apps;
        this.perApp = perApp;
        this.deployments = deployments;
        this.concurrency = concurrency;
        this.out = out;
        this.work = Files.createTempDirectory("lockstep-bench-apps-");
        this.suffix = Long.toString(Math.abs(new Random().nextLong()) % 1_000_000, 36);
        this.admin = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeconfig.toFile()))
                .build();
        this.repo = GitRepoFixture.create(work.resolve("repo"));
        this.token = work.resolve("git-token");
    }

    public static void main(String[] args) throws Exception {
        Path kubeconfig = Path.of(System.getProperty("bench.kubeconfig", "").strip());
        if (!Files.isRegularFile(kubeconfig)) {
            System.err.println("bench.kubeconfig must name a kubeconfig file");
            System.exit(2);
        }
        int apps = Integer.parseInt(System.getProperty("bench.apps", "100").strip());
        int perApp = Integer.parseInt(System.getProperty("bench.perApp", "100").strip());
        String kind = System.getProperty("bench.kind", "ConfigMap").strip();
        if (!kind.equals("ConfigMap") && !kind.equals("Deployment")) {
            System.err.println("bench.kind must be ConfigMap or Deployment");
            System.exit(2);
        }
        int concurrency =
                Integer.parseInt(System.getProperty("bench.concurrency", "8").strip());
        Path out = Path.of(
                System.getProperty("bench.out", "target/bench/many-apps.md").strip());
        if (apps < 1 || perApp < 1) {
            System.err.println("need bench.apps >= 1 and bench.perApp >= 1");
            System.exit(2);
        }
        ManyAppsBenchmark bench =
                new ManyAppsBenchmark(kubeconfig, apps, perApp, kind.equals("Deployment"), concurrency, out);
        int code = 0;
        try {
            bench.run();
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        } finally {
            bench.cleanUp();
        }
        System.exit(code);
    }

    private void run() throws Exception {
        for (int a = 0; a < apps; a++) {
            for (int c = 0; c < perApp; c++) {
                String name = String.format(Locale.ROOT, deployments ? "deploy-%03d-%03d" : "cm-%03d-%03d", a, c);
                repo.write(
                        appDir(a) + "/" + name + ".yaml",
                        deployments
                                ? HelloApp.deployment(name, "registry.example/bench:v1", 0)
                                : HelloApp.configMap(name, "value-" + c));
            }
        }
        repo.commit(apps + " apps of " + perApp + " " + kind());
        try (Git served = Git.open(repo.dir().toFile());
                GitHttpServer git = GitHttpServer.start(served.getRepository())) {
            git.setPassword(GitCredentials.TOKEN_USERNAME, "bench-token");
            Files.writeString(token, "bench-token");
            run(git, "http://127.0.0.1:" + git.port() + "/remote.git");
        }
    }

    private void run(GitHttpServer git, String url) throws Exception {
        Memory baseline = Memory.now();
        log("  baseline before any Engine: %s", baseline);
        log(
                "%d apps x %d %s = %d objects, applyConcurrency %d, %d cores for the JVM, server %s",
                apps,
                perApp,
                kind(),
                apps * perApp,
                concurrency,
                Runtime.getRuntime().availableProcessors(),
                admin.getKubernetesVersion().getGitVersion());

        // one app (the 5,000-in-one-app case) has no tenth: its small round is the same single app
        Round small = apps >= 10 ? firstSync("tenth", apps / 10, git, url) : null;
        Round full = firstSync("all", apps, git, url);
        if (small == null) {
            small = full;
        }
        long kcCreate = withKubectl ? kubectl("kc", true) : 1;
        long kcAgain = withKubectl ? kubectl("kc", false) : 1;

        double smallRate = small.objects() * 1e9 / small.firstNanos();
        double fullRate = full.objects() * 1e9 / full.firstNanos();
        lines.add("| scenario | objects | Lockstep wall | Lockstep requests | kubectl wall | ratio |");
        lines.add("| --- | ---: | ---: | --- | ---: | ---: |");
        lines.add(String.format(
                Locale.ROOT,
                "| first sync, %d apps one after another | %d | %s (%.0f objects/s) | %s | | |",
                apps / 10,
                small.objects(),
                s(small.firstNanos()),
                smallRate,
                small.firstRequests()));
        lines.add(String.format(
                Locale.ROOT,
                "| first sync, %d apps one after another | %d | %s (%.0f objects/s) | %s | %s | %s |",
                apps,
                full.objects(),
                s(full.firstNanos()),
                fullRate,
                full.firstRequests(),
                withKubectl ? s(kcCreate) : "",
                withKubectl ? String.format(Locale.ROOT, "%.2f", (double) full.firstNanos() / kcCreate) : ""));
        if (deployments) {
            lines.add(String.format(
                    Locale.ROOT,
                    "| the first sync's rollouts followed to their end (each app's 1 s tick, as the daemon's) | %d | %s"
                            + " | %s | | |",
                    full.objects(),
                    s(full.endNanos()),
                    full.endRequests()));
        }
        lines.add(String.format(
                Locale.ROOT,
                "| no-op round: every app's pass again, no new commit | %d | %s | %s | %s | %s |",
                full.objects(),
                s(full.noopNanos()),
                full.noopRequests(),
                withKubectl ? s(kcAgain) : "",
                withKubectl ? String.format(Locale.ROOT, "%.3f", (double) full.noopNanos() / kcAgain) : ""));
        lines.add("");
        lines.add("Requests by kind, " + full.apps() + " apps: "
                + (deployments ? "rollouts ending: " + full.endKinds() + "; " : "")
                + "no-op round: " + full.noopKinds() + ".");
        lines.add("");
        lines.add(String.format(
                Locale.ROOT,
                "Linearity: %.0f objects/s at %d objects, %.0f objects/s at %d (x%.2f per object from N/10 to N). "
                        + "kubectl: create %s, unchanged re-apply %s.",
                smallRate,
                small.objects(),
                fullRate,
                full.objects(),
                smallRate / fullRate,
                s(kcCreate),
                s(kcAgain)));
        lines.add("");
        memory(baseline, full);
        lines.add("");
        lines.add("| git requests at the server, all apps together | ref advertisements | of which ls-remote"
                + " | fetches (upload-pack) |");
        lines.add("| --- | ---: | ---: | ---: |");
        for (Round r : small == full ? List.of(full) : List.of(small, full)) {
            lines.add(gitRow("first round, " + r.apps() + " apps, cold cache", r.firstGit()));
            lines.add(gitRow("no-op round, " + r.apps() + " apps, no new commit", r.noopGit()));
        }
        lines.add("");
        lines.add("A fetch asks for its own ref advertisement, so ls-remotes = advertisements - fetches.");
        report();
    }

    private String kind() {
        return deployments ? "Deployments" : "ConfigMaps";
    }

    private void memory(Memory baseline, Round full) {
        Memory m = full.memory();
        long heap = m.heapUsed() - baseline.heapUsed();
        long rss = m.rss() - baseline.rss();
        lines.add(String.format(
                Locale.ROOT,
                "Memory of the benchmark JVM (the harness and its in-process git server included; kubectl runs in its"
                        + " own process, later), JVM options %s, max heap %d MiB, with the Engine of %d apps / %d"
                        + " %s open after its no-op round:",
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("-X"))
                        .toList(),
                Runtime.getRuntime().maxMemory() >> 20,
                full.apps(),
                full.objects(),
                kind()));
        lines.add("");
        lines.add("| | before any Engine | Engine of N objects open | difference | per cached object | target |");
        lines.add("| --- | ---: | ---: | ---: | ---: | --- |");
        lines.add(String.format(
                Locale.ROOT,
                "| live heap after GC | %d MiB | %d MiB | %d MiB | %,d bytes | <= 256 MiB (%.2fx) |",
                baseline.heapUsed() >> 20,
                m.heapUsed() >> 20,
                heap >> 20,
                heap / full.objects(),
                m.heapUsed() / (256.0 * (1 << 20))));
        lines.add(String.format(
                Locale.ROOT,
                "| RSS (VmRSS) | %d MiB | %d MiB | %d MiB | %,d bytes | <= 512 MiB (%.2fx) |",
                baseline.rss() >> 20,
                m.rss() >> 20,
                rss >> 20,
                rss / full.objects(),
                m.rss() / (512.0 * (1 << 20))));
        lines.add(String.format(
                Locale.ROOT,
                "| peak RSS (VmHWM) | | %d MiB | | | |%n| heap committed | %d MiB | %d MiB | | | |",
                m.peakRss() >> 20,
                baseline.heapCommitted() >> 20,
                m.heapCommitted() >> 20));
        lines.add("");
        lines.add(
                "Class histogram (`jcmd <pid> GC.class_histogram`, live objects after its full GC), Engine open, top 25:");
        lines.add("");
        lines.add("```");
        lines.addAll(full.histogram());
        lines.add("```");
    }

    private static String gitRow(String label, GitCount count) {
        return String.format(
                Locale.ROOT,
                "| %s | %d | %d | %d |",
                label,
                count.advertisements(),
                count.advertisements() - count.fetches(),
                count.fetches());
    }

    private record Round(
            int apps,
            int objects,
            long firstNanos,
            String firstRequests,
            GitCount firstGit,
            long endNanos,
            String endRequests,
            String endKinds,
            long noopNanos,
            String noopRequests,
            String noopKinds,
            GitCount noopGit,
            Memory memory,
            List<String> histogram) {}

    private record GitCount(int advertisements, int fetches) {
        static GitCount of(GitHttpServer server) {
            return new GitCount(server.advertisements.get(), server.uploads);
        }

        @Override
        public String toString() {
            return advertisements + " ref advertisements, " + fetches + " fetches";
        }
    }

    /** This JVM's live heap after a full GC, committed heap, and resident set size from /proc/self/status. */
    private record Memory(long heapUsed, long heapCommitted, long rss, long peakRss) {
        static Memory now() {
            for (int i = 0; i < 3; i++) {
                System.gc(); // a second and third pass catch what finalisation and soft references left behind
                sleep(200);
            }
            var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            return new Memory(heap.getUsed(), heap.getCommitted(), status("VmRSS:"), status("VmHWM:"));
        }

        private static long status(String field) {
            try {
                return Files.readAllLines(Path.of("/proc/self/status")).stream()
                        .filter(l -> l.startsWith(field))
                        .map(l -> l.substring(field.length()).replace("kB", "").strip())
                        .mapToLong(kb -> Long.parseLong(kb) * 1024)
                        .findFirst()
                        .orElse(-1);
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "live heap %d MiB (committed %d MiB), RSS %d MiB (peak %d MiB)",
                    heapUsed >> 20,
                    heapCommitted >> 20,
                    rss >> 20,
                    peakRss >> 20);
        }
    }

    /** A fresh Engine of {@code count} apps into an empty namespace: the first pass of each, then a no-op round. */
    private Round firstSync(String label, int count, GitHttpServer git, String url) {
        String ns = namespace(label);
        RequestCounter counter = new RequestCounter();
        Config config = new ConfigBuilder(Config.fromKubeconfig(kubeconfig.toFile()))
                .withNamespace(ns)
                .build();
        List<AppSpec> specs = new ArrayList<>();
        for (int a = 0; a < count; a++) {
            specs.add(app(appDir(a), ns, url));
        }
        LockstepConfig cfg =
                new LockstepConfig(specs, work.resolve("cache-" + label), ns, 0, Optional.empty(), concurrency);
        try (KubernetesClient client = counter.client(config);
                Engine engine = TestApps.engine(cfg, client, ReconcileListener.NONE)) {
            counter.reset();
            git.resetCounts();
            long t0 = System.nanoTime();
            Map<PassOutcome, Integer> outcomes = passes(engine, counter, new LinkedHashMap<>());
            long first = System.nanoTime() - t0;
            String firstRequests = summary(counter.all());
            GitCount firstGit = GitCount.of(git);
            log(
                    "  %s: first sync of %d objects in %s, %s, outcomes %s, git: %s",
                    label, count * perApp, s(first), firstRequests, outcomes, firstGit);
            sleep(5000); // let every write come back through the watch
            counter.reset();
            long t1 = System.nanoTime();
            Map<String, List<String>> ending = deployments ? followRollouts(engine, counter, ns) : Map.of();
            long end = System.nanoTime() - t1;
            String endRequests = summary(counter.all());
            String endKinds = RequestKinds.of(counter.all());
            log("  %s: rollouts followed to their end in %s, %s: %s", label, s(end), endRequests, endKinds);
            RequestKinds.perApp(ending).forEach(l -> log("  %s:   %s", label, l));
            counter.reset();
            git.resetCounts();
            t0 = System.nanoTime();
            Map<String, List<String>> byApp = new LinkedHashMap<>();
            Map<PassOutcome, Integer> again = passes(engine, counter, byApp);
            long noop = System.nanoTime() - t0;
            String noopRequests = summary(counter.all());
            String noopKinds = RequestKinds.of(counter.all());
            GitCount noopGit = GitCount.of(git);
            log("  %s: no-op round in %s, %s, outcomes %s, git: %s", label, s(noop), noopRequests, again, noopGit);
            log("  %s: no-op round by kind: %s", label, noopKinds);
            RequestKinds.perApp(byApp).forEach(l -> log("  %s:   %s", label, l));
            Memory memory = Memory.now();
            log("  %s: with the Engine open: %s", label, memory);
            List<String> histogram = histogram(27);
            heapDump(label);
            histogram.forEach(l -> log("  %s", l));
            return new Round(
                    count,
                    count * perApp,
                    first,
                    firstRequests,
                    firstGit,
                    end,
                    endRequests,
                    endKinds,
                    noop,
                    noopRequests,
                    noopKinds,
                    noopGit,
                    memory,
                    histogram);
        }
    }

    /** With {@code bench.heapDump} set to a directory: a heap dump of the live objects there, for a closer look. */
    private static void heapDump(String label) {
        String dir = System.getProperty("bench.heapDump", "").strip();
        if (dir.isEmpty()) {
            return;
        }
        Path file = Path.of(dir).toAbsolutePath().resolve("many-apps-" + label + ".hprof");
        try {
            Process p = new ProcessBuilder(
                            "jcmd", Long.toString(ProcessHandle.current().pid()), "GC.heap_dump", file.toString())
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().transferTo(System.out);
            p.waitFor();
        } catch (IOException e) {
            log("  heap dump failed: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first lines of this JVM's class histogram of live objects (jcmd runs a full GC first). */
    private static List<String> histogram(int lines) {
        try {
            Process p = new ProcessBuilder(
                            "jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                    .redirectErrorStream(true)
                    .start();
            List<String> all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            p.waitFor();
            List<String> top = new ArrayList<>(all.subList(0, Math.min(lines, all.size())));
            all.stream().filter(l -> l.startsWith("Total")).findFirst().ifPresent(top::add);
            return top;
        } catch (IOException e) {
            return List.of("jcmd failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("interrupted");
        }
    }

    /**
     * Each app's followed rollouts polled once a second, as the daemon's loop does ({@link AppReconciler#refreshRollouts}),
     * until no app's record follows a rollout (at most 10 minutes); each app's requests go into the map returned.
     */
    private Map<String, List<String>> followRollouts(Engine engine, RequestCounter counter, String ns) {
        Map<String, List<String>> byApp = new LinkedHashMap<>();
        List<AppReconciler> following = new ArrayList<>(engine.apps());
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!following.isEmpty() && System.nanoTime() < deadline) {
            for (AppReconciler app : following) {
                int before = counter.all().size();
                app.refreshRollouts();
                List<String> all = counter.all();
                byApp.computeIfAbsent(app.spec().name(), k -> new ArrayList<>())
                        .addAll(all.subList(Math.min(before, all.size()), all.size()));
            }
            following.removeIf(app -> !followsRollouts(ns, app.spec().name()));
            if (!following.isEmpty()) {
                sleep(1000);
            }
        }
        if (!following.isEmpty()) {
            log("  %d apps still follow rollouts after 10 minutes", following.size());
        }
        return byApp;
    }

    /** Whether the app's record (read by the uncounted admin client) still lists rollouts it follows. */
    private boolean followsRollouts(String ns, String app) {
        var record = admin.configMaps()
                .inNamespace(ns)
                .withName("lockstep-app-" + app)
                .get();
        return record == null
                || (record.getData() != null && record.getData().containsKey("following"))
                || (record.getBinaryData() != null && record.getBinaryData().containsKey("following"));
    }

    /** One pass of every app, one after another; each app's requests go into {@code perApp}. */
    private static Map<PassOutcome, Integer> passes(
            Engine engine, RequestCounter counter, Map<String, List<String>> byApp) {
        Map<PassOutcome, Integer> outcomes = new EnumMap<>(PassOutcome.class);
        for (AppReconciler app : engine.apps()) {
            int before = counter.all().size();
            outcomes.merge(app.reconcile(), 1, Integer::sum);
            List<String> all = counter.all();
            byApp.put(app.spec().name(), all.subList(Math.min(before, all.size()), all.size()));
        }
        return outcomes;
    }

    /** {@code kubectl apply --server-side} of every app's directory into one namespace; wall time in nanos. */
    private long kubectl(String label, boolean create) throws IOException, InterruptedException {
        String ns = create ? namespace(label) : "bench-" + suffix + "-" + label;
        Path log = work.resolve("kubectl-" + label + "-" + create + ".log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(
                        "kubectl",
                        "--kubeconfig",
                        kubeconfig.toString(),
                        "apply",
                        "--server-side",
                        "--field-manager=bench",
                        "-n",
                        ns,
                        "-R",
                        "-f",
                        repo.dir().resolve("apps").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        int code = p.waitFor();
        long nanos = System.nanoTime() - t0;
        if (code != 0) {
            throw new IllegalStateException("kubectl failed: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        log("  kubectl %s of %d objects: %s", create ? "create" : "unchanged re-apply", apps * perApp, s(nanos));
        return nanos;
    }

    /** "total / dry runs / writes / reads" of a list from RequestCounter. */
    private static String summary(List<String> requests) {
        long dry = requests.stream().filter(r -> r.contains("dryRun=All")).count();
        long writes = requests.stream()
                        .filter(r -> Set.of("POST", "PUT", "PATCH", "DELETE").contains(r.substring(0, r.indexOf(' '))))
                        .count()
                - dry;
        return String.format(
                Locale.ROOT,
                "%d (%d dry runs, %d writes, %d reads)",
                requests.size(),
                dry,
                writes,
                requests.size() - dry - writes);
    }

    private String namespace(String label) {
        String ns = "bench-" + suffix + "-" + label;
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .addToLabels("lockstep.dev/bench", "true")
                        .endMetadata()
                        .build())
                .create();
        namespaces.add(ns);
        return ns;
    }

    private static String appDir(int a) {
        return String.format(Locale.ROOT, "apps/app-%03d", a);
    }

    private AppSpec app(String dir, String ns, String url) {
        String name = dir.substring(dir.indexOf('/') + 1);
        return AppSpecs.of(
                name,
                new RepoSpec(url, "main", GitCredentials.token(SecretSource.file(token))),
                dir,
                ns,
                Duration.ofMinutes(1),
                true,
                true,
                Set.of(),
                Set.of(),
                0.5,
                false);
    }

    private void report() throws IOException {
        lines.forEach(System.out::println);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, lines, StandardCharsets.UTF_8);
    }

    private void cleanUp() {
        repo.close();
        for (String ns : namespaces) {
            try {
                admin.namespaces().withName(ns).delete();
            } catch (RuntimeException e) {
                log("could not delete namespace %s: %s", ns, e.getMessage());
            }
        }
        admin.close();
        try (var walk = Files.walk(work)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log("could not delete %s: %s", work, e.getMessage());
        }
    }

    private static String s(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, format + "%n", args);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
