package dev.lockstep.render.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a chart's {@code crds/} directory and of its vendored subcharts', as Helm collects them: not templated,
 * {@code .yaml}, {@code .yml} or {@code .json}, the parent's first. A subchart disabled by its condition still
 * brings its CRDs (Lockstep does not evaluate conditions itself).
 */
final class ChartCrds {
    private ChartCrds() {}

    static List<RenderedDocument> read(Path chartDirectory, String sourcePrefix)
            throws IOException, HelmRenderException {
        List<RenderedDocument> crds = new ArrayList<>();
        Path crdDirectory = chartDirectory.resolve("crds");
        if (Files.isDirectory(crdDirectory)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(crdDirectory)) {
                files = walk.filter(Files::isRegularFile)
                        .filter(ChartCrds::isManifest)
                        .sorted()
                        .toList();
            }
            for (Path file : files) {
                String source = sourcePrefix + "/"
                        + chartDirectory.relativize(file).toString().replace('\\', '/');
                String text = HookKey.restore(Files.readString(file, StandardCharsets.UTF_8));
                crds.addAll(RenderedOutput.documents(text, source));
            }
        }
        Path charts = chartDirectory.resolve("charts");
        if (Files.isDirectory(charts)) {
            List<Path> subcharts;
            try (Stream<Path> list = Files.list(charts)) {
                subcharts = list.filter(p -> Files.isRegularFile(p.resolve("Chart.yaml")))
                        .sorted()
                        .toList();
            }
            for (Path subchart : subcharts) {
                String name = ChartFile.read(subchart, sourcePrefix + "/charts/" + subchart.getFileName())
                        .name();
                crds.addAll(read(subchart, sourcePrefix + "/charts/" + name));
            }
        }
        return crds;
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }
}
