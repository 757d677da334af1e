package dev.lockstep.bench;

import dev.lockstep.render.helm.HelmChartRenderer;
import dev.lockstep.render.helm.HelmRenderRequest;
import dev.lockstep.render.helm.KubeCapabilities;
import dev.lockstep.render.helm.RenderedChart;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the Helm engine costs in one JVM (docs/benchmarks.md, "Helm charts"): RSS before Helm is loaded, the first
 * render of a chart making {@code bench.helm.objects} objects (default 500; it includes loading Helm's native library),
 * the next renders, and RSS after. A program, not a test: it prints and asserts nothing about time. Run with
 * {@code HELM_KUBEAPISERVER=http://127.0.0.1:18089 java -cp target/classes:target/test-classes:<deps>
 * dev.lockstep.bench.HelmBenchmark}.
 */
public final class HelmBenchmark {
    private HelmBenchmark() {}

    public static void main(String[] args) throws Exception {
        int objects = Integer.getInteger("bench.helm.objects", 500);
        int repeats = Integer.getInteger("bench.helm.repeats", 10);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Path repo = Files.createTempDirectory("helm-bench");
        Path chart = writeChart(repo.resolve("charts/many"), objects);
        var request = new HelmRenderRequest(
                repo,
                chart,
                List.of(),
                Map.of("image", Map.of("tag", "1.0")),
                "many",
                "bench",
                new KubeCapabilities("v1.20.2", List.of()),
                false,
                Duration.ofMinutes(2));
        HelmChartRenderer renderer = new HelmChartRenderer();
        System.out.printf("JVM start to benchmark start: %d ms%n", System.currentTimeMillis() - jvmStart);
        System.out.printf("RSS before Helm: %d MiB%n", rssMiB());

        long started = System.nanoTime();
        RenderedChart first = renderer.render(request);
        System.out.printf(
                "first render (loads Helm): %d ms, %d objects%n",
                (System.nanoTime() - started) / 1_000_000, first.objects().size());
        System.out.printf("RSS after the first render: %d MiB%n", rssMiB());

        long[] times = new long[repeats];
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            renderer.render(request);
            times[i] = (System.nanoTime() - t) / 1_000_000;
        }
        java.util.Arrays.sort(times);
        System.out.printf(
                "next renders (%d): median %d ms, min %d ms, max %d ms%n",
                repeats, times[repeats / 2], times[0], times[repeats - 1]);
        System.out.printf("RSS after %d renders: %d MiB%n", repeats + 1, rssMiB());
    }

    /** A chart of Deployments, Services, ConfigMaps and ServiceAccounts through one helper, a quarter each. */
    private static Path writeChart(Path chart, int objects) throws Exception {
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: many\nversion: 1.0.0\n");
        Files.writeString(chart.resolve("values.yaml"), "count: " + (objects / 4) + "\nimage:\n  tag: latest\n");
        Files.writeString(chart.resolve("templates/_helpers.tpl"), """
                {{- define "many.labels" -}}
                app.kubernetes.io/name: {{ .name }}
                app.kubernetes.io/instance: {{ .root.Release.Name }}
                helm.sh/chart: {{ .root.Chart.Name }}-{{ .root.Chart.Version }}
                {{- end }}
                """);
        Files.writeString(chart.resolve("templates/all.yaml"), """
                {{- range $i := until (int .Values.count) }}
                {{- $name := printf "app-%03d" $i }}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {{ $name }}
                  labels: {{- include "many.labels" (dict "name" $name "root" $) | nindent 4 }}
                spec:
                  replicas: 0
                  selector:
                    matchLabels: {app.kubernetes.io/name: {{ $name }}}
                  template:
                    metadata:
                      labels: {{- include "many.labels" (dict "name" $name "root" $) | nindent 8 }}
                    spec:
                      serviceAccountName: {{ $name }}
                      containers:
                        - name: app
                          image: "registry.example/app:{{ $.Values.image.tag }}"
                          envFrom: [{configMapRef: {name: {{ $name }}}}]
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: {{ $name }}
                  labels: {{- include "many.labels" (dict "name" $name "root" $) | nindent 4 }}
                spec:
                  selector: {app.kubernetes.io/name: {{ $name }}}
                  ports: [{port: 80, targetPort: 8080}]
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ $name }}
                data:
                  index: {{ $i | quote }}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: {{ $name }}
                {{- end }}
                """);
        return chart;
    }

    private static long rssMiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
