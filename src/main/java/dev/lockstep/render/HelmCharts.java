package dev.lockstep.render;

import dev.lockstep.git.GitSourceException;
import dev.lockstep.git.TreeEntry;
import dev.lockstep.model.RenderedOutput;
import dev.lockstep.model.SourceFile;
import dev.lockstep.render.helm.ChartOutput;
import dev.lockstep.render.helm.HelmChartRenderer;
import dev.lockstep.render.helm.HelmRenderException;
import dev.lockstep.render.helm.HelmRenderRequest;
import dev.lockstep.render.helm.KubeCapabilities;
import dev.lockstep.render.helm.RenderedChart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The helm engine of the render step: writes the chart's directory and the values files it names from the commit into
 * a private directory (nothing else of the repository), renders it with {@link HelmChartRenderer}, and hands the
 * result on as one engine output. The cluster's version and served API versions, for {@code .Capabilities}, come from
 * its discovery when a cluster is at hand (without one, Helm's defaults).
 */
final class HelmCharts {
    private final Path workRoot;
    private final Supplier<KubeCapabilities> capabilities;
    private final HelmChartRenderer helm = new HelmChartRenderer();

    HelmCharts(Path workRoot, Supplier<KubeCapabilities> capabilities) {
        this.workRoot = workRoot;
        this.capabilities = capabilities;
    }

    RenderedOutput render(String app, String namespace, HelmSpec spec, SourceTree tree, String path)
            throws GitSourceException, RenderException {
        Path repo;
        try {
            if (tree.holdsSecrets()) {
                // decrypted values files never go under cacheDir: a directory only this user can enter, removed below
                repo = Files.createTempDirectory(
                        "lockstep-decrypted-helm-",
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(workRoot);
                repo = Files.createTempDirectory(workRoot, "helm-" + app + "-");
            }
        } catch (IOException e) {
            throw new RenderException(chartFile(path) + ": cannot prepare the chart: " + e.getMessage());
        }
        try {
            for (TreeEntry entry : tree.under(path)) {
                if (entry.type() == TreeEntry.Type.SYMLINK) {
                    throw new RenderException(entry.path() + ": a symlink in a chart is refused (it is not followed)");
                }
            }
            write(repo, tree.files(path).orElse(List.of()));
            for (String valuesFile : spec.valuesFiles()) {
                String inRepo = inRepository(path, valuesFile)
                        .orElseThrow(() -> new RenderException(
                                chartFile(path) + ": valuesFiles: " + valuesFile + " is outside the repository"));
                Optional<TreeEntry> entry = tree.entry(inRepo);
                if (entry.isEmpty() || entry.get().type() == TreeEntry.Type.SYMLINK) {
                    throw new RenderException(chartFile(path) + ": valuesFiles: " + valuesFile
                            + (entry.isEmpty()
                                    ? " does not exist at " + tree.label()
                                    : " is a symlink (" + inRepo + "); it is not followed"));
                }
                if (entry.get().type() != TreeEntry.Type.FILE) {
                    throw new RenderException(chartFile(path) + ": valuesFiles: " + valuesFile + " is not a file");
                }
                write(repo, tree.files(inRepo).orElse(List.of()));
            }
            RenderedChart chart = helm.render(new HelmRenderRequest(
                    repo,
                    path.isEmpty() ? repo : repo.resolve(path),
                    spec.valuesFiles(),
                    spec.values(),
                    spec.releaseName().orElse(app),
                    namespace,
                    capabilities.get(),
                    spec.skipCRDs(),
                    spec.timeout()));
            return new RenderedOutput(
                    path, producer(chart), ChartOutput.yaml(chart).getBytes(StandardCharsets.UTF_8));
        } catch (HelmRenderException e) {
            throw new RenderException(e.getMessage());
        } catch (IOException e) {
            throw new RenderException(chartFile(path) + ": cannot prepare the chart: " + e.getMessage());
        } finally {
            delete(repo);
        }
    }

    /** What history shows for a revision made from a chart: its name and version and the values' digest. */
    static String producer(RenderedChart chart) {
        return "helm chart " + chart.chartLabel() + " values " + chart.valuesDigest();
    }

    /** The values file's repository path, or empty when it climbs out of the repository. */
    static Optional<String> inRepository(String chartPath, String relative) {
        Deque<String> segments = new ArrayDeque<>();
        if (relative.startsWith("/")) {
            return Optional.empty();
        }
        String joined = (chartPath.isEmpty() ? "" : chartPath + "/") + relative;
        for (String s : joined.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (segments.isEmpty()) {
                    return Optional.empty();
                }
                segments.removeLast();
            } else {
                segments.addLast(s);
            }
        }
        return segments.isEmpty() ? Optional.empty() : Optional.of(String.join("/", segments));
    }

    private static void write(Path repo, List<SourceFile> files) throws IOException {
        for (SourceFile file : files) {
            Path target = repo.resolve(file.path()).normalize();
            if (!target.startsWith(repo)) {
                throw new IOException(file.path() + " is outside the repository");
            }
            Files.createDirectories(target.getParent());
            Files.write(target, file.content());
        }
    }

    private static String chartFile(String path) {
        return path.isEmpty() ? "Chart.yaml" : path + "/Chart.yaml";
    }

    private static void delete(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
