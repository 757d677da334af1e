package dev.lockstep.render.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every dependency a {@code Chart.yaml} declares must be vendored under its {@code charts/} (a directory or a {@code
 * .tgz}, already unpacked in the workspace), at every depth: Lockstep contacts no chart repository or OCI registry.
 */
final class VendoredCharts {
    private VendoredCharts() {}

    static void check(Path chartDirectory, ChartFile chart, String shownAs) throws HelmRenderException, IOException {
        Set<String> vendored = new HashSet<>();
        Path charts = chartDirectory.resolve("charts");
        List<Path> subcharts = List.of();
        if (Files.isDirectory(charts)) {
            try (Stream<Path> list = Files.list(charts)) {
                subcharts = list.filter(p -> Files.isRegularFile(p.resolve("Chart.yaml")))
                        .sorted()
                        .toList();
            }
        }
        for (Path subchart : subcharts) {
            ChartFile sub = ChartFile.read(subchart, shownAs + "/charts/" + subchart.getFileName());
            vendored.add(sub.name());
            check(subchart, sub, shownAs + "/charts/" + sub.name());
        }
        for (ChartFile.Dependency dependency : chart.dependencies()) {
            if (!vendored.contains(dependency.name())) {
                throw new HelmRenderException(
                        shownAs + "/Chart.yaml: dependency \"" + dependency.name() + "\" (version "
                                + dependency.version() + " from " + dependency.repository()
                                + ") is not vendored under charts/; Lockstep contacts no chart repository: run"
                                + " `helm dependency build` and commit charts/");
            }
        }
    }
}
