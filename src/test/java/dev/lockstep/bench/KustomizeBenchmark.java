package dev.lockstep.bench;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.engine.Engine;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.render.GitTree;
import dev.lockstep.render.RenderResult;
import dev.lockstep.render.RenderSpec;
import dev.lockstep.render.Renderer;
import dev.lockstep.render.kustomize.KustomizeRenderer;
import dev.lockstep.render.kustomize.KustomizeTool;
import dev.lockstep.render.kustomize.KustomizeTools;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.TestApps;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * The kustomize scenario of issue 21, a program like {@link ReconcileBenchmark} (run with {@code -Pbench
 * -Dbench.program=KustomizeBenchmark}): N Deployments (default 1,000, {@code replicas: 0}) in one base, behind one
 * overlay with {@code namePrefix}, {@code commonLabels} and {@code images:}. It measures, in one run on one cluster:
 * Lockstep's render alone (cold: scan, copy, kustomize; cached: same inputs again; a new commit that changes nothing
 * the app reads), the first pass (render included) vs {@code kubectl apply -k <overlay> --server-side}, a pass after a
 * README commit vs kubectl re-applying, and an {@code images:} change in the overlay (every Deployment changes) vs
 * kubectl applying it. Prints a Markdown table; asserts nothing about time.
 */
public final class KustomizeBenchmark {
    private static final String OVERLAY = "deploy/overlays/bench";
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(5);

    private final Path kubeconfig;
    private final int deployments;
    private final Path work;
    private final GitRepoFixture repo;
    private final KubernetesClient admin;
    private final String lsNamespace;
    private final String kcNamespace;
    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private KustomizeBenchmark(Path kubeconfig, int deployments) throws IOException {
        this.kubeconfig = kubeconfig;
        this.deployments = deployments;
        this.work = Files.createTempDirectory("lockstep-kbench-");
        this.repo = GitRepoFixture.create(work.resolve("repo"));
        this.admin = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeconfig.toFile()))
                .build();
        String suffix = Long.toString(new Random().nextLong() & 0xffffffL, 36);
        this.lsNamespace = "kbench-" + suffix;
        this.kcNamespace = "kbench-" + suffix + "-kubectl";
    }

    public static void main(String[] args) throws Exception {
        String kc = System.getProperty("bench.kubeconfig", "").strip();
        if (kc.isEmpty() || kc.startsWith("${") || !Files.isRegularFile(Path.of(kc))) {
            System.err.println("bench.kubeconfig must name a kubeconfig file; see docs/benchmarks.md");
            System.exit(2);
        }
        int n = Integer.parseInt(System.getProperty("bench.objects", "1000").strip());
        KustomizeBenchmark bench = new KustomizeBenchmark(Path.of(kc), n);
        int code = 0;
        try {
            bench.run();
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        } finally {
            bench.cleanUp();
        }
        System.exit(code); // fabric8's and JGit's pools must not keep the JVM alive
    }

    private void run() throws Exception {
        KustomizeTool tool = KustomizeTool.find(Optional.empty());
        notes.add(String.format(
                Locale.ROOT,
                "%s, %s; %d Deployments; cluster %s (server %s); load average before: %s",
                Instant.now(),
                tool.label() + " (" + String.join(" ", tool.command()) + ")",
                deployments,
                admin.getConfiguration().getMasterUrl(),
                admin.getKubernetesVersion().getGitVersion(),
                loadAverage()));
        createNamespace(lsNamespace);
        createNamespace(kcNamespace);
        writeRepository("1.27");
        String v1 = repo.commit("bench: " + deployments + " Deployments behind one overlay");
        Path overlay = repo.dir().resolve(OVERLAY);

        // render alone, through the same GitTree and Renderer a pass uses
        try (GitSource git = new GitSource(new RepoSpec(repo.url(), "main"), work.resolve("render-cache"))) {
            Renderer renderer = new Renderer(
                    new KustomizeRenderer(work.resolve("render"), new KustomizeTools()), Clock.systemUTC());
            git.fetch(v1);
            row("render, cold (scan, copy, kustomize build)", renderTime(renderer, git, v1, false), "");
            row("render, same commit again (cached)", renderTime(renderer, git, v1, true), "");
            repo.write("README.md", "the bench app\n");
            String readme = repo.commit("a README");
            git.fetch(readme);
            row("render, new commit changing nothing it reads (cached)", renderTime(renderer, git, readme, true), "");
        }

        AppSpec app = AppSpecs.of(
                "shop",
                new RepoSpec(repo.url(), "main"),
                OVERLAY,
                lsNamespace,
                Duration.ofHours(1),
                true,
                true,
                java.util.Set.of(),
                java.util.Set.of(),
                0.5,
                false);
        LockstepConfig cfg =
                new LockstepConfig(List.of(app), work.resolve("cache"), lsNamespace, 0, Optional.empty(), 8);
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(Config.fromKubeconfig(kubeconfig.toFile()))
                        .withNamespace(lsNamespace)
                        .build())
                .build();
        try (Engine engine = TestApps.engine(cfg, client, ReconcileListener.NONE)) {
            AppReconciler shop = engine.apps().get(0);
            long first = pass(shop, PassOutcome.APPLIED);
            settle(lsNamespace);
            long kcFirst = kubectl(overlay);
            settle(kcNamespace);
            row("first pass (render included) vs `kubectl apply -k --server-side`", first, ms(kcFirst));

            repo.write("README.md", "the bench app, again\n");
            repo.commit("README only");
            long noop = pass(shop, PassOutcome.UNCHANGED);
            long kcNoop = kubectl(overlay);
            row("new commit, nothing changed for the cluster (render cached)", noop, ms(kcNoop));

            writeRepository("1.28");
            repo.commit("images: nginx 1.28 in the overlay");
            long images = pass(shop, PassOutcome.APPLIED);
            settle(lsNamespace);
            long kcImages = kubectl(overlay);
            settle(kcNamespace);
            row("`images:` changed in the overlay (every Deployment changes)", images, ms(kcImages));
        } finally {
            client.close();
        }
        notes.add("load average after: " + loadAverage());
        print();
    }

    /** Wall time of one render; the cached ones must say so, or the row would measure something else. */
    private static long renderTime(Renderer renderer, GitSource git, String commit, boolean cached) throws Exception {
        long t0 = System.nanoTime();
        RenderResult result = renderer.render("shop", RenderSpec.DEFAULT, OVERLAY, new GitTree(git, commit))
                .orElseThrow();
        long nanos = System.nanoTime() - t0;
        if (!(result instanceof RenderResult.Ok ok) || ok.cached() != cached) {
            throw new IllegalStateException("render of " + commit + ": " + result);
        }
        return nanos;
    }

    private long pass(AppReconciler app, PassOutcome expected) {
        long t0 = System.nanoTime();
        PassOutcome outcome = app.reconcile();
        long nanos = System.nanoTime() - t0;
        if (outcome != expected) {
            notes.add("UNEXPECTED: a pass returned " + outcome + ", expected " + expected + ": "
                    + app.status().message() + " " + app.status().errors());
        }
        System.out.printf(Locale.ROOT, "  pass: %s in %s%n", outcome, ms(nanos));
        return nanos;
    }

    private long kubectl(Path overlay) throws IOException, InterruptedException {
        Path log = work.resolve("kubectl.log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(
                        "kubectl",
                        "--kubeconfig",
                        kubeconfig.toString(),
                        "apply",
                        "-k",
                        overlay.toString(),
                        "--server-side",
                        "--field-manager=bench",
                        "-n",
                        kcNamespace)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        int code = p.waitFor();
        long nanos = System.nanoTime() - t0;
        if (code != 0) {
            throw new IllegalStateException("kubectl apply -k exited " + code + ": " + Files.readString(log));
        }
        System.out.printf(Locale.ROOT, "  kubectl apply -k: %s%n", ms(nanos));
        return nanos;
    }

    /** The base: one file per Deployment and a kustomization listing them; the overlay renames, labels, retags. */
    private void writeRepository(String tag) {
        StringBuilder base = new StringBuilder("resources:\n");
        for (int i = 0; i < deployments; i++) {
            String name = String.format(Locale.ROOT, "web-%04d", i);
            base.append("- ").append(name).append(".yaml\n");
            repo.write("deploy/base/" + name + ".yaml", """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: %s
                    spec:
                      replicas: 0
                      selector:
                        matchLabels: {app: %s}
                      template:
                        metadata:
                          labels: {app: %s}
                        spec:
                          containers:
                          - name: web
                            image: nginx:1.25
                    """.formatted(name, name, name));
        }
        repo.write("deploy/base/kustomization.yaml", base.toString());
        repo.write(OVERLAY + "/kustomization.yaml", """
                resources:
                - ../../base
                namePrefix: shop-
                commonLabels:
                  env: bench
                images:
                - name: nginx
                  newTag: "%s"
                """.formatted(tag));
    }

    private void row(String scenario, long lockstepNanos, String kubectl) {
        rows.add("| " + scenario + " | " + ms(lockstepNanos) + " | " + (kubectl.isEmpty() ? "–" : kubectl) + " |");
        System.out.println(rows.get(rows.size() - 1));
    }

    private void print() {
        System.out.println();
        System.out.println("| scenario | Lockstep | kubectl apply -k --server-side |");
        System.out.println("| --- | ---: | ---: |");
        rows.forEach(System.out::println);
        notes.forEach(n -> System.out.println("- " + n));
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

    /** Until the Deployment controller has observed every Deployment, so one step's aftermath does not eat the next. */
    private void settle(String ns) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<Deployment> items =
                    admin.apps().deployments().inNamespace(ns).list().getItems();
            boolean settled = items.size() == deployments
                    && items.stream()
                            .allMatch(d -> d.getStatus() != null
                                    && d.getStatus().getObservedGeneration() != null
                                    && d.getStatus().getObservedGeneration()
                                            >= d.getMetadata().getGeneration());
            if (settled) {
                Thread.sleep(1000);
                return;
            }
            Thread.sleep(500);
        }
        notes.add("namespace " + ns + " did not settle within " + SETTLE_TIMEOUT);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
    }

    private void cleanUp() {
        for (String ns : List.of(lsNamespace, kcNamespace)) {
            try {
                admin.namespaces().withName(ns).delete();
            } catch (RuntimeException e) {
                System.err.println("could not delete namespace " + ns + ": " + e.getMessage());
            }
        }
        admin.close();
        repo.close();
    }
}
