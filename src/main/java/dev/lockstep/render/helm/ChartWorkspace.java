package dev.lockstep.render.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private copy of the chart in a temporary directory, the one Helm reads: hook keys hidden ({@link HookKey}),
 * vendored {@code .tgz} subcharts unpacked (so their hooks are seen too), the values files copied in. A symlink in the
 * chart is refused: it could point anywhere on the host.
 */
final class ChartWorkspace {
    private final Path root;
    private final Path chart;

    private ChartWorkspace(Path root) {
        this.root = root;
        this.chart = root.resolve("chart");
    }

    Path root() {
        return root;
    }

    Path chart() {
        return chart;
    }

    static ChartWorkspace copyOf(Path chartDirectory, String shownAs) throws HelmRenderException, IOException {
        ChartWorkspace workspace = new ChartWorkspace(Files.createTempDirectory("lockstep-helm-"));
        try {
            workspace.copyTree(chartDirectory, shownAs);
            workspace.unpackArchives(workspace.chart, shownAs);
            return workspace;
        } catch (HelmRenderException | IOException | RuntimeException e) {
            workspace.delete();
            throw e;
        }
    }

    private void copyTree(Path source, String shownAs) throws IOException, HelmRenderException {
        List<String> symlinks = new ArrayList<>();
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(chart.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String relative = source.relativize(file).toString();
                if (attrs.isSymbolicLink()) {
                    symlinks.add(relative);
                } else if (attrs.isRegularFile()) {
                    Files.write(chart.resolve(relative), HookKey.hide(Files.readAllBytes(file)));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (!symlinks.isEmpty()) {
            throw new HelmRenderException(
                    shownAs + "/" + symlinks.get(0) + ": a symlink in a chart is refused (it could point outside it)");
        }
    }

    /** Each {@code charts/*.tgz}, at any depth, becomes a directory beside it. */
    private void unpackArchives(Path chartDirectory, String shownAs) throws IOException, HelmRenderException {
        Path charts = chartDirectory.resolve("charts");
        if (!Files.isDirectory(charts, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(charts)) {
            entries = list.sorted().toList();
        }
        for (Path entry : entries) {
            String fileName = entry.getFileName().toString();
            if (fileName.endsWith(".tgz") && Files.isRegularFile(entry)) {
                Path unpacked =
                        charts.resolve(fileName.substring(0, fileName.length() - ".tgz".length()) + ".unpacked");
                TarGz.unpack(entry, unpacked, shownAs + "/" + chart.relativize(entry));
                Files.delete(entry);
                unpackArchives(unpacked, shownAs);
            } else if (Files.isDirectory(entry)) {
                unpackArchives(entry, shownAs);
            }
        }
    }

    /**
     * Binds {@code .Capabilities.APIVersions.Has} in the templates of the chart and of every vendored subchart to the
     * cluster's list ({@link ApiVersionsBinding}); nothing changes when no template asks.
     *
     * @return how many template files were bound
     */
    int bindApiVersions(List<String> apiVersions) throws IOException {
        List<Path> templates;
        try (Stream<Path> walk = Files.walk(chart)) {
            templates = walk.filter(Files::isRegularFile)
                    .filter(ChartWorkspace::isTemplate)
                    .sorted()
                    .toList();
        }
        int bound = 0;
        for (Path template : templates) {
            byte[] content = Files.readAllBytes(template);
            byte[] rewritten = ApiVersionsBinding.bind(content);
            if (rewritten != content) {
                Files.write(template, rewritten);
                bound++;
            }
        }
        if (bound > 0) {
            // defines are shared by a chart and its subcharts: one helper in the top chart serves all
            Path helper = chart.resolve("templates").resolve(ApiVersionsBinding.HELPER_FILE);
            Files.createDirectories(helper.getParent());
            Files.writeString(helper, ApiVersionsBinding.helper(apiVersions));
        }
        return bound;
    }

    /** Under a {@code templates} directory that sits beside a {@code Chart.yaml}, at any depth. */
    private static boolean isTemplate(Path file) {
        for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
            Path name = dir.getFileName();
            if (name != null
                    && name.toString().equals("templates")
                    && Files.isRegularFile(dir.resolveSibling("Chart.yaml"))) {
                return true;
            }
        }
        return false;
    }

    /** Writes one values file into the workspace, hook keys hidden like the chart's own files. */
    Path writeValues(String name, byte[] content) throws IOException {
        Path file = root.resolve(name);
        Files.write(file, HookKey.hide(content));
        return file;
    }

    Path writeValues(String name, String content) throws IOException {
        return writeValues(name, content.getBytes(StandardCharsets.UTF_8));
    }

    void delete() {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless; nothing to report to the user
        }
    }
}
