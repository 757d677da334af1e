package dev.lockstep.bench;

import dev.lockstep.testbed.SimulatedNode;
import dev.lockstep.testbed.SimulatedNodeConfig;
import dev.lockstep.testing.GitHttpServer;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.HelloApp;
import dev.lockstep.testing.TcpProxy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import tools.jackson.core.type.TypeReference;

/**
 * A soak of the daemon under faults: a program, not a timed test. Lockstep runs as a child process ({@code lockstep
 * run}, leader election on) whose only link to the API server is a {@link TcpProxy}, following a repository served
 * over smart HTTP by {@link GitHttpServer}. For {@code soak.minutes} (10 by default) it pushes a commit every few
 * seconds (a new image, cycling through a few so ReplicaSets are reused, and a counter in a ConfigMap) and injects a
 * fault at random every {@code soak.faultSeconds} or so:
 *
 * <ul>
 *   <li>the proxy cuts the link for 4 to 20 s (longer than the 10 s renew deadline half of the time);
 *   <li>the proxy stalls the link (no byte moves) for 4 to 12 s;
 *   <li>the git remote answers 503 for 4 to 20 s;
 *   <li>the git remote cuts the next fetches off in the middle of the pack for 4 to 12 s;
 *   <li>the daemon gets SIGKILL and is started again (in the first 60% of the run only, so the last process lives
 *       long enough to show whether its heap and threads stay flat).
 * </ul>
 *
 * After each fault it measures how long the daemon takes to record a commit at least as new as the head when the
 * fault ended. At the end it stops pushing and checks that the cluster matches the last commit, every commit was
 * applied or superseded (the record's history is in push order), no two ReplicaSets share an image (no duplicate),
 * the static ConfigMap was never deleted (same uid), no object was pruned, and the heap (after a GC) and thread count
 * of the last daemon process stayed flat. Figures go to stdout and {@code soak.out}.
 *
 * <pre>
 *   scripts/local-cluster.sh start soak
 *   mvn -o -Psoak -DskipTests verify -Dsoak.kubeconfig=$(scripts/local-cluster.sh kubeconfig soak) [-Dsoak.minutes=10]
 *   scripts/local-cluster.sh stop soak
 * </pre>
 */
public final class ReliabilitySoak {
    private static final String APP = "hello";
    private static final int IMAGES = 5;
    private static final Duration CONVERGE_TIMEOUT = Duration.ofMinutes(3);

    enum Fault {
        PROXY_CUT,
        PROXY_STALL,
        GIT_OUTAGE,
        GIT_MIDFETCH_CUT,
        DAEMON_SIGKILL
    }

    private final Duration runFor;
    private final Duration commitEvery;
    private final Duration faultEvery;
    private final Random random;
    private final Path out;
    private final Path work;
    private final KubernetesClient admin;
    private final String namespace;
    private final Path kubeconfig;
    private final boolean simNode;

    private final List<String> pushed = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> indexOf = new ConcurrentHashMap<>();
    private final Set<String> seenRecorded = ConcurrentHashMap.newKeySet();
    private final Map<Fault, List<Duration>> converge = new EnumMap<>(Fault.class);
    private final List<String> failures = new ArrayList<>();
    private final List<String> samples = new ArrayList<>();
    private final Object gitLock = new Object();

    private GitRepoFixture repo;
    private GitHttpServer gitServer;
    private TcpProxy proxy;
    private Process daemon;
    private int daemonStarts;
    private Path daemonConfig;
    private Path daemonKubeconfig;
    private Path daemonLog;
    private int httpPort;

    private ReliabilitySoak(
            Path kubeconfig,
            Duration runFor,
            Duration commitEvery,
            Duration faultEvery,
            long seed,
            Path out,
            boolean simNode)
            throws IOException {
        this.kubeconfig = kubeconfig;
        this.runFor = runFor;
        this.commitEvery = commitEvery;
        this.faultEvery = faultEvery;
        this.random = new Random(seed);
        this.out = out;
        this.simNode = simNode;
        this.work = Files.createTempDirectory("lockstep-soak-");
        this.admin = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeconfig.toFile()))
                .build();
        // Not from the seed: a namespace of an earlier run with the same seed may still be terminating.
        this.namespace = "soak-" + Long.toString(System.currentTimeMillis(), 36);
    }

    public static void main(String[] args) throws Exception {
        String kc = System.getProperty("soak.kubeconfig", "").strip();
        if (kc.isEmpty() || kc.startsWith("${") || !Files.isRegularFile(Path.of(kc))) {
            System.err.println("""
                    soak.kubeconfig must name a kubeconfig file; the soak starts no cluster of its own:
                      scripts/local-cluster.sh start soak
                      mvn -o -Psoak -DskipTests verify -Dsoak.kubeconfig=$(scripts/local-cluster.sh kubeconfig soak)""");
            System.exit(2);
        }
        double minutes =
                Double.parseDouble(System.getProperty("soak.minutes", "10").strip());
        ReliabilitySoak soak = new ReliabilitySoak(
                Path.of(kc),
                Duration.ofMillis((long) (minutes * 60_000)),
                Duration.ofMillis(Long.parseLong(
                        System.getProperty("soak.commitMillis", "3000").strip())),
                Duration.ofSeconds(Long.parseLong(
                        System.getProperty("soak.faultSeconds", "25").strip())),
                Long.parseLong(System.getProperty("soak.seed", "12").strip()),
                Path.of(System.getProperty("soak.out", "target/soak/results.md").strip()),
                Boolean.parseBoolean(System.getProperty("soak.simNode", "true").strip()));
        int code = soak.run();
        System.exit(code);
    }

    private int run() throws Exception {
        SimulatedNode node = null;
        ScheduledExecutorService committer = Executors.newSingleThreadScheduledExecutor();
        ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor();
        Instant start = Instant.now();
        Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
        try {
            admin.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(namespace)
                            .endMetadata()
                            .build())
                    .create();
            if (simNode) {
                node = new SimulatedNode(
                                admin,
                                new SimulatedNodeConfig(
                                        "soak-sim-node", Duration.ofMillis(100), SimulatedNodeConfig.NO_IMAGES))
                        .start();
            }
            setUpGit();
            URI server = URI.create(admin.getConfiguration().getMasterUrl());
            proxy = TcpProxy.start(server.getHost(), server.getPort());
            writeDaemonFiles();
            push(); // the first commit
            startDaemon();
            String staticUid = awaitRecorded(pushed.get(0), "the first commit")
                    .flatMap(x -> uidOf("static"))
                    .orElseThrow(() -> new IllegalStateException("the first commit never arrived"));
            sample("start (first commit applied)");
            long firstSample = daemon.pid();

            monitor.scheduleWithFixedDelay(this::watchRecord, 0, 200, TimeUnit.MILLISECONDS);
            committer.scheduleWithFixedDelay(
                    this::pushQuietly, commitEvery.toMillis(), commitEvery.toMillis(), TimeUnit.MILLISECONDS);
            Instant end = start.plus(runFor);
            while (Instant.now().isBefore(end)) {
                long pause = (long) (faultEvery.toMillis() * (0.5 + random.nextDouble()));
                Thread.sleep(Math.min(
                        pause, Math.max(0, Duration.between(Instant.now(), end).toMillis())));
                if (!Instant.now().isBefore(end.minusSeconds(20))) {
                    break; // no fault in the last seconds: leave time to converge
                }
                boolean killsAllowed = Duration.between(start, Instant.now())
                                .compareTo(runFor.multipliedBy(6).dividedBy(10))
                        < 0;
                Fault fault = pick(killsAllowed);
                injected.merge(fault, 1, Integer::sum);
                inject(fault);
            }
            committer.shutdown();
            committer.awaitTermination(30, TimeUnit.SECONDS);
            String last = pushed.get(pushed.size() - 1);
            Instant stopped = Instant.now();
            awaitRecorded(last, "the last commit");
            awaitRolloutOf(last);
            Duration finalConverge = Duration.between(stopped, Instant.now());
            sample("end");
            monitor.shutdown();
            check(last, staticUid);
            report(start, injected, finalConverge, firstSample);
            return failures.isEmpty() ? 0 : 1;
        } finally {
            committer.shutdownNow();
            monitor.shutdownNow();
            if (daemon != null) {
                daemon.destroy();
                daemon.waitFor(30, TimeUnit.SECONDS);
            }
            if (proxy != null) {
                proxy.close();
            }
            if (gitServer != null) {
                gitServer.close();
            }
            if (node != null) {
                node.close();
            }
            admin.namespaces().withName(namespace).delete();
            admin.close();
        }
    }

    // ---- git ----

    private void setUpGit() throws IOException {
        repo = GitRepoFixture.create(work.resolve("repo"));
        Repository repository = new FileRepositoryBuilder()
                .setGitDir(work.resolve("repo/.git").toFile())
                .build();
        gitServer = GitHttpServer.start(repository);
        gitServer.setPassword(dev.lockstep.git.GitCredentials.TOKEN_USERNAME, "soak-token");
        Files.writeString(work.resolve("git-token"), "soak-token\n");
    }

    private static String image(int n) {
        return "080196/hello-app:s" + (n % IMAGES);
    }

    /** Commit n: image s(n mod 5) and counter n; the static ConfigMap never changes. */
    private void push() {
        synchronized (gitLock) {
            int n = pushed.size();
            repo.write("app/deployment.yaml", HelloApp.deployment("hello-app", image(n), 2));
            repo.write("app/counter.yaml", HelloApp.configMap("counter", Integer.toString(n)));
            repo.write("app/static.yaml", HelloApp.configMap("static", "never changes"));
            String sha = repo.commit("commit " + n + ": " + image(n));
            indexOf.put(sha, n);
            pushed.add(sha);
        }
    }

    private void pushQuietly() {
        try {
            push();
        } catch (RuntimeException e) {
            failures.add("pushing a commit failed: " + e);
        }
    }

    // ---- the daemon process ----

    /**
     * The admin kubeconfig with its server pointed at the proxy. TLS still ends at the real server, whose certificate
     * does not name the proxy's address: certificate checks are off in this copy (a soak on loopback only).
     */
    private void writeDaemonFiles() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            httpPort = s.getLocalPort();
        }
        String original = Files.readString(kubeconfig);
        if (original.lines().filter(l -> l.strip().startsWith("server:")).count() != 1) {
            throw new IllegalStateException("the soak needs a kubeconfig with exactly one cluster: " + kubeconfig);
        }
        StringBuilder copy = new StringBuilder();
        for (String line : original.lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.startsWith("certificate-authority") || trimmed.startsWith("insecure-skip-tls-verify")) {
                continue;
            }
            if (trimmed.startsWith("server:")) {
                String indent = line.substring(0, line.indexOf("server:"));
                copy.append(indent)
                        .append("server: https://127.0.0.1:")
                        .append(proxy.port())
                        .append('\n');
                copy.append(indent).append("insecure-skip-tls-verify: true\n");
            } else {
                copy.append(line).append('\n');
            }
        }
        daemonKubeconfig = work.resolve("daemon-kubeconfig");
        Files.writeString(daemonKubeconfig, copy.toString());
        daemonConfig = work.resolve("lockstep.yaml");
        Files.writeString(daemonConfig, """
                stateNamespace: %1$s
                cacheDir: %2$s
                http:
                  port: %3$d
                apps:
                  - name: %4$s
                    repo:
                      url: "http://127.0.0.1:%5$d/remote.git"
                      tokenFile: %6$s
                      insecureHttp: true  # a loopback git server in the test
                    path: app
                    namespace: %1$s
                    interval: 2s
                """.formatted(
                        namespace, work.resolve("cache"), httpPort, APP, gitServer.port(), work.resolve("git-token")));
        daemonLog = work.resolve("daemon.log");
    }

    private void startDaemon() throws IOException {
        daemonStarts++;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:+UseG1GC",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.lockstep.cli.Main",
                "run",
                "--config",
                daemonConfig.toString(),
                "--kubeconfig",
                daemonKubeconfig.toString(),
                "--identity",
                "soak-daemon");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(daemonLog.toFile()));
        daemon = pb.start();
        log("daemon started (pid " + daemon.pid() + ", start " + daemonStarts + ")");
    }

    // ---- faults ----

    private Fault pick(boolean killsAllowed) {
        Fault[] all = Fault.values();
        while (true) {
            Fault f = all[random.nextInt(all.length)];
            if (f != Fault.DAEMON_SIGKILL || killsAllowed) {
                return f;
            }
        }
    }

    private void inject(Fault fault) throws Exception {
        long holdMillis = switch (fault) {
            case PROXY_CUT, GIT_OUTAGE -> 4_000 + random.nextInt(16_000);
            case PROXY_STALL, GIT_MIDFETCH_CUT -> 4_000 + random.nextInt(8_000);
            case DAEMON_SIGKILL -> 1_000 + random.nextInt(2_000);
        };
        log("fault " + fault + " for " + holdMillis + " ms");
        switch (fault) {
            case PROXY_CUT -> proxy.cut();
            case PROXY_STALL -> proxy.stall();
            case GIT_OUTAGE -> gitServer.setAvailable(false);
            case GIT_MIDFETCH_CUT -> gitServer.cutUploadsAfter(200);
            case DAEMON_SIGKILL -> {
                sample("before SIGKILL");
                Runtime.getRuntime()
                        .exec(new String[] {"kill", "-KILL", Long.toString(daemon.pid())})
                        .waitFor();
                daemon.waitFor(30, TimeUnit.SECONDS);
            }
        }
        Thread.sleep(holdMillis);
        switch (fault) {
            case PROXY_CUT, PROXY_STALL -> proxy.restore();
            case GIT_OUTAGE -> gitServer.setAvailable(true);
            case GIT_MIDFETCH_CUT -> gitServer.cutUploadsAfter(-1);
            case DAEMON_SIGKILL -> startDaemon();
        }
        Instant ended = Instant.now();
        String head = pushed.get(pushed.size() - 1);
        if (fault == Fault.DAEMON_SIGKILL) {
            // The killed process may have recorded the head already: wait for a commit pushed after the restart, so
            // the figure is the new process's own first work (JVM start, Lease, first pass).
            int before = pushed.size();
            while (pushed.size() == before) {
                Thread.sleep(50);
            }
            head = pushed.get(before);
        }
        Optional<String> got = awaitRecorded(head, "convergence after " + fault);
        Duration took = Duration.between(ended, Instant.now());
        converge.computeIfAbsent(fault, f -> new ArrayList<>()).add(took);
        log("  converged in " + took.toMillis() + " ms" + (got.isEmpty() ? " (TIMED OUT)" : ""));
        if (fault == Fault.DAEMON_SIGKILL) {
            sample("restarted, first converge");
        } else {
            countThreads("after " + fault);
        }
    }

    // ---- the cluster ----

    private Optional<ConfigMap> record() {
        try {
            return Optional.ofNullable(admin.configMaps()
                    .inNamespace(namespace)
                    .withName("lockstep-app-" + APP)
                    .get());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private int recordedIndex() {
        return record().map(r -> r.getData().getOrDefault("commit", ""))
                .map(c -> indexOf.getOrDefault(c, -1))
                .orElse(-1);
    }

    private void watchRecord() {
        record().map(r -> r.getData().getOrDefault("commit", ""))
                .filter(c -> !c.isEmpty())
                .ifPresent(seenRecorded::add);
    }

    /** Waits until the record is at {@code commit} or a later one; empty (and a failure noted) on timeout. */
    private Optional<String> awaitRecorded(String commit, String what) throws InterruptedException {
        int wanted = indexOf.get(commit);
        Instant deadline = Instant.now().plus(CONVERGE_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (recordedIndex() >= wanted) {
                return Optional.of(commit);
            }
            Thread.sleep(100);
        }
        failures.add(what + ": the record did not reach commit " + wanted + " within " + CONVERGE_TIMEOUT);
        return Optional.empty();
    }

    private void awaitRolloutOf(String commit) throws InterruptedException {
        String wanted = image(indexOf.get(commit));
        Instant deadline = Instant.now().plus(CONVERGE_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Deployment d = admin.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withName("hello-app")
                    .get();
            if (d != null
                    && wanted.equals(d.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    && d.getStatus() != null
                    && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
                    && Integer.valueOf(2).equals(d.getStatus().getUpdatedReplicas())
                    && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas())) {
                return;
            }
            Thread.sleep(200);
        }
        failures.add("the last commit's rollout (" + wanted + ") did not complete within " + CONVERGE_TIMEOUT);
    }

    private Optional<String> uidOf(String configMap) {
        ConfigMap cm =
                admin.configMaps().inNamespace(namespace).withName(configMap).get();
        return Optional.ofNullable(cm).map(c -> c.getMetadata().getUid());
    }

    // ---- the final checks ----

    private void check(String last, String staticUid) throws Exception {
        int n = indexOf.get(last);
        ConfigMap counter =
                admin.configMaps().inNamespace(namespace).withName("counter").get();
        expect(
                counter != null && Integer.toString(n).equals(counter.getData().get("value")),
                "the counter ConfigMap holds the last commit's value " + n);
        expect(
                last.equals(record().map(r -> r.getData().get("commit")).orElse("")),
                "the record is at the last commit");
        expect(
                uidOf("static").equals(Optional.of(staticUid)),
                "the static ConfigMap was never deleted or recreated (same uid)");

        List<ReplicaSet> sets =
                admin.apps().replicaSets().inNamespace(namespace).list().getItems();
        Map<String, Long> perImage = sets.stream()
                .collect(Collectors.groupingBy(
                        rs -> rs.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getImage(),
                        TreeMap::new,
                        Collectors.counting()));
        expect(
                perImage.values().stream().allMatch(c -> c == 1),
                "one ReplicaSet per pod template, none duplicated: " + perImage);
        List<String> revisions = sets.stream()
                .map(rs -> rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))
                .toList();
        expect(revisions.stream().distinct().count() == revisions.size(), "ReplicaSet revisions unique: " + revisions);

        String historyJson =
                record().map(r -> r.getData().getOrDefault("history", "[]")).orElse("[]");
        List<Map<String, Object>> history = admin.getKubernetesSerialization()
                .unmarshal(historyJson, new TypeReference<List<Map<String, Object>>>() {});
        List<Integer> order = history.stream()
                .map(h -> indexOf.getOrDefault(String.valueOf(h.get("commit")), -1))
                .toList();
        expect(
                !history.isEmpty() && order.stream().noneMatch(i -> i < 0),
                "every history entry names a pushed commit (" + history.size() + " entries)");
        List<Integer> sorted = order.stream().sorted().toList();
        expect(order.equals(sorted), "history entries in push order: " + order);
        // revision 0: a rollout superseded before the Deployment controller started it has no ReplicaSet, so no
        // revision (kubectl rollout history lists none either); every other entry names its own
        List<Long> historyRevisions = history.stream()
                .map(h -> ((Number) h.get("revision")).longValue())
                .filter(r -> r != 0)
                .toList();
        expect(
                historyRevisions.stream().distinct().count() == historyRevisions.size(),
                "history revisions unique (as in kubectl rollout history): " + historyRevisions);

        String metrics = scrape();
        expect(
                !metrics.contains("lockstep_objects_pruned_total{"),
                "nothing pruned (lockstep_objects_pruned_total absent)");
    }

    private String scrape() {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            return http.send(
                            java.net.http.HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private void expect(boolean ok, String what) {
        log((ok ? "  ok   " : "  FAIL ") + what);
        if (!ok) {
            failures.add(what);
        }
    }

    // ---- heap and threads of the daemon process ----

    private record Sample(String when, long pid, long heapKb, int threads, Instant at) {}

    private final List<Sample> heap = new ArrayList<>();

    private void sample(String when) {
        try {
            long pid = daemon.pid();
            run("jcmd", Long.toString(pid), "GC.run");
            String info = run("jcmd", Long.toString(pid), "GC.heap_info");
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
            long used = m.find() ? Long.parseLong(m.group(1)) : -1;
            int threads = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("Threads:"))
                    .map(l -> Integer.parseInt(l.substring(8).strip()))
                    .findFirst()
                    .orElse(-1);
            Sample s = new Sample(when, pid, used, threads, Instant.now());
            heap.add(s);
            samples.add(s.toString());
            log("sample " + s);
            dumpThreads(pid, heap.size());
        } catch (IOException | RuntimeException e) {
            log("could not sample the daemon: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A thread dump next to the daemon's log ({@code threads-N.txt}), and the threads by name (numbers folded) in
     * the soak's log, so a pool that grows shows by name.
     */
    private void dumpThreads(long pid, int n) throws IOException, InterruptedException {
        String dump = run("jcmd", Long.toString(pid), "Thread.print");
        Path file = work.resolve("threads-" + n + ".txt");
        Files.writeString(file, dump);
        log("threads by name (" + file + "): " + byName(dump));
        // live clients and informers (the histogram is taken after a full GC): what keeps a selector thread alive
        String histogram = run("jcmd", Long.toString(pid), "GC.class_histogram");
        log("live: "
                + histogram
                        .lines()
                        .filter(l -> l.matches(".*(jdk\\.internal\\.net\\.http\\.HttpClientImpl|KubernetesClientImpl"
                                + "|DefaultSharedIndexInformer|JdkHttpClientImpl)$"))
                        .map(l -> l.strip().replaceAll("\\s+", " "))
                        .toList());
    }

    /** The daemon's threads by name after a fault (no GC, no dump kept): which pool a fault grows. */
    private void countThreads(String when) {
        try {
            log("threads " + when + ": " + byName(run("jcmd", Long.toString(daemon.pid()), "Thread.print")));
        } catch (IOException | RuntimeException e) {
            log("could not count the daemon's threads: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The threads of a dump by name, numbers folded: {@code kube-watch-task-N=3}, and the total. */
    private static String byName(String dump) {
        Map<String, Long> byName = dump.lines()
                .filter(l -> l.startsWith("\""))
                .map(l -> l.substring(1, l.indexOf('"', 1)).replaceAll("\\d+", "N"))
                .collect(Collectors.groupingBy(name -> name, TreeMap::new, Collectors.counting()));
        return byName.values().stream().mapToLong(Long::longValue).sum() + " " + byName;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return text;
    }

    // ---- the report ----

    private void report(Instant start, Map<Fault, Integer> injected, Duration finalConverge, long firstPid)
            throws IOException {
        Duration ran = Duration.between(start, Instant.now());
        Sample lastStart = null;
        Sample end = heap.get(heap.size() - 1);
        for (Sample s : heap) {
            if (s.pid() == end.pid() && lastStart == null) {
                lastStart = s;
            }
        }
        if (lastStart != null) {
            long minutes = Duration.between(lastStart.at(), end.at()).toMinutes();
            expect(
                    end.heapKb() <= lastStart.heapKb() * 3 / 2 + 16 * 1024,
                    "heap after GC flat over the last daemon's " + minutes + " min: " + lastStart.heapKb() + " KB → "
                            + end.heapKb() + " KB");
            expect(
                    end.threads() <= lastStart.threads() + 5,
                    "threads flat over the last daemon's " + minutes + " min: " + lastStart.threads() + " → "
                            + end.threads());
        }
        int totalFaults = injected.values().stream().mapToInt(Integer::intValue).sum();
        Duration maxConverge = converge.values().stream()
                .flatMap(List::stream)
                .max(Duration::compareTo)
                .orElse(Duration.ZERO);
        Set<String> applied = new java.util.HashSet<>(seenRecorded);
        StringBuilder md = new StringBuilder();
        md.append("## Soak: ").append(Instant.now()).append('\n').append('\n');
        md.append("- ran ")
                .append(ran.toMinutes())
                .append(" min ")
                .append(ran.toSecondsPart())
                .append(" s; a commit every ")
                .append(commitEvery.toMillis())
                .append(" ms, a fault every ~")
                .append(faultEvery.toSeconds())
                .append(" s\n");
        md.append("- commits pushed: ")
                .append(pushed.size())
                .append("; seen recorded as applied: ")
                .append(applied.size())
                .append("; the rest superseded by a newer commit before a pass reached them\n");
        md.append("- faults injected: ")
                .append(totalFaults)
                .append("; daemon processes: ")
                .append(daemonStarts)
                .append('\n');
        md.append("- max time to converge after a fault: ")
                .append(maxConverge.toMillis())
                .append(" ms; after the last push: ")
                .append(finalConverge.toMillis())
                .append(" ms\n");
        md.append("- checks failed: ")
                .append(failures.size())
                .append(failures.isEmpty() ? "" : " " + failures)
                .append("\n\n");
        md.append("| fault | injected | max converge (ms) | median (ms) |\n| --- | --- | --- | --- |\n");
        for (Fault f : Fault.values()) {
            List<Duration> ds =
                    converge.getOrDefault(f, List.of()).stream().sorted().toList();
            md.append("| ")
                    .append(f)
                    .append(" | ")
                    .append(injected.getOrDefault(f, 0))
                    .append(" | ")
                    .append(
                            ds.isEmpty()
                                    ? "-"
                                    : Long.toString(ds.get(ds.size() - 1).toMillis()))
                    .append(" | ")
                    .append(
                            ds.isEmpty()
                                    ? "-"
                                    : Long.toString(ds.get(ds.size() / 2).toMillis()))
                    .append(" |\n");
        }
        md.append("\n| daemon sample | pid | heap used after GC (KB) | threads |\n| --- | --- | --- | --- |\n");
        for (Sample s : heap) {
            md.append("| ")
                    .append(s.when())
                    .append(" | ")
                    .append(s.pid())
                    .append(" | ")
                    .append(s.heapKb())
                    .append(" | ")
                    .append(s.threads())
                    .append(" |\n");
        }
        System.out.println(md);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
        log("results written to " + out.toAbsolutePath() + "; daemon log " + daemonLog);
    }

    private static void log(String line) {
        System.out.println(Instant.now() + " soak: " + line);
    }
}
