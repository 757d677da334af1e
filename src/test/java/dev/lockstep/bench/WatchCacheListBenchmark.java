package dev.lockstep.bench;

import dev.lockstep.cluster.LiveCache;
import dev.lockstep.model.MetadataKeys;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The watch cache's first list (what a restarted daemon's first pass waits for): the CPU of this process while a new
 * {@link LiveCache} lists and packs N managed Deployments and N/10 ConfigMaps, with the watch client as Lockstep makes
 * it ({@link LiveCache#watchClient}: objects read as plain maps) and with a plain fabric8 client on the same
 * configuration (fabric8's typed model, then converted to maps: the way before issue 25's "raw list"). The two ways
 * alternate in one JVM, so a loaded machine slows both alike; the first rounds of each (JIT warm-up) are reported apart.
 *
 * <pre>
 * mvn -o -B -Pbench -DskipTests -Dcds.skip=true verify -Dbench.program=WatchCacheListBenchmark \
 *     -Dbench.kubeconfig=$(scripts/local-cluster.sh kubeconfig bench) -Dbench.repeats=8
 * </pre>
 *
 * {@code -Dbench.way=typed} or {@code plain} lists that way alone, once: the first list of a fresh JVM.
 *
 * <p>It applies the objects (field manager {@code lockstep}, so their managedFields are routine) into namespace
 * {@code bench-watch-list} and leaves them for the next run.
 */
public final class WatchCacheListBenchmark {
    private static final String NAMESPACE = "bench-watch-list";
    private static final int WARM_UP = 2;

    private WatchCacheListBenchmark() {}

    public static void main(String[] args) throws Exception {
        String kc = System.getProperty("bench.kubeconfig", "").strip();
        if (kc.isEmpty()) {
            throw new IllegalArgumentException("bench.kubeconfig is required");
        }
        int n = Integer.getInteger("bench.objects", 1000);
        int repeats = Math.max(WARM_UP + 1, Integer.getInteger("bench.repeats", 8));
        Config config = Config.fromKubeconfig(new File(kc));
        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build()) {
            apply(client, n);
        }
        Map<String, Supplier<KubernetesClient>> ways = Map.of(
                "plain maps (LiveCache.watchClient)",
                        () -> LiveCache.watchClient(config).build(),
                "typed model (plain fabric8 client)",
                        () -> new KubernetesClientBuilder()
                                .withConfig(LiveCache.watchConfig(config))
                                .build());
        // -Dbench.way=typed or plain: that way alone, once, for a fresh JVM's first list (what a restart pays)
        String only = System.getProperty("bench.way", "").strip();
        if (!only.isEmpty() && !only.startsWith("${")) {
            String way =
                    only.equals("typed") ? "typed model (plain fabric8 client)" : "plain maps (LiveCache.watchClient)";
            long cpu0 = processCpuNanos();
            try (LiveCache live = new LiveCache(ways.get(way), Duration.ofMinutes(2), Duration.ofHours(1))) {
                live.watch("apps/v1", "Deployment");
                live.watch("v1", "ConfigMap");
            }
            System.out.printf(
                    Locale.ROOT,
                    "first list, fresh JVM, %s: process CPU %d ms (whole JVM until now: %d ms)%n",
                    way,
                    (processCpuNanos() - cpu0) / 1_000_000,
                    processCpuNanos() / 1_000_000);
            return;
        }
        List<String> names = List.of("typed model (plain fabric8 client)", "plain maps (LiveCache.watchClient)");
        Map<String, List<Long>> cpu = Map.of(names.get(0), new ArrayList<>(), names.get(1), new ArrayList<>());
        Map<String, List<Long>> wall = Map.of(names.get(0), new ArrayList<>(), names.get(1), new ArrayList<>());
        for (int r = 0; r < repeats; r++) {
            for (int w = 0; w < 2; w++) {
                String way = names.get((r + w) % 2); // alternate which goes first
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                try (LiveCache live = new LiveCache(ways.get(way), Duration.ofMinutes(2), Duration.ofHours(1))) {
                    live.watch("apps/v1", "Deployment");
                    live.watch("v1", "ConfigMap");
                }
                wall.get(way).add((System.nanoTime() - t0) / 1_000_000);
                cpu.get(way).add((processCpuNanos() - cpu0) / 1_000_000);
                System.gc();
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "### The watch cache's first list: %d Deployments + %d ConfigMaps, %d rounds per way (first %d warm-up)%n%n",
                n,
                n / 10,
                repeats,
                WARM_UP));
        out.append("| way | process CPU, median after warm-up | wall, median after warm-up | CPU per round (ms) |\n");
        out.append("| --- | ---: | ---: | --- |\n");
        for (String way : names) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %d ms | %d ms | %s |%n",
                    way,
                    median(cpu.get(way).subList(WARM_UP, repeats)),
                    median(wall.get(way).subList(WARM_UP, repeats)),
                    cpu.get(way)));
        }
        out.append(String.format(
                Locale.ROOT,
                "%nload average at the end: %s%n",
                Files.readString(Path.of("/proc/loadavg")).strip()));
        System.out.print(out);
        String file = System.getProperty("bench.out", "").strip();
        if (!file.isEmpty() && !file.startsWith("${")) {
            Files.createDirectories(Path.of(file).toAbsolutePath().getParent());
            Files.writeString(Path.of(file), out.toString());
        }
    }

    /** N Deployments and N/10 ConfigMaps as Lockstep applies them: its label, its field manager. */
    private static void apply(KubernetesClient client, int n) throws Exception {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NAMESPACE)
                        .endMetadata()
                        .build())
                .serverSideApply();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> applied = new ArrayList<>();
            for (int i = 0; i < n + n / 10; i++) {
                HasMetadata object = i < n ? deployment("web-" + i) : configMap("cfg-" + (i - n));
                applied.add(pool.submit(() -> client.resource(object)
                        .inNamespace(NAMESPACE)
                        .fieldManager(MetadataKeys.FIELD_MANAGER)
                        .forceConflicts()
                        .serverSideApply()));
            }
            for (Future<?> f : applied) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static HasMetadata deployment(String name) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("app", name)
                .addToLabels(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE)
                .addToAnnotations("team", "bench")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("nginx:1.25")
                .addNewPort()
                .withContainerPort(80)
                .endPort()
                .addNewEnv()
                .withName("MODE")
                .withValue("bench")
                .endEnv()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static HasMetadata configMap(String name) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE)
                .endMetadata()
                .addToData("mode", "bench")
                .addToData("settings", "a=1\nb=2\n")
                .build();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
