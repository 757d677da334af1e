package dev.lockstep.render.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** The parts of a {@code Chart.yaml} Lockstep reads itself: the chart's name, version and declared dependencies. */
record ChartFile(String name, String version, List<Dependency> dependencies) {

    /** One entry of {@code dependencies:}; {@code repository} only to name it in a refusal. */
    record Dependency(String name, String version, String repository) {}

    static ChartFile read(Path chartDirectory, String shownAs) throws HelmRenderException {
        Path file = chartDirectory.resolve("Chart.yaml");
        if (!Files.isRegularFile(file)) {
            throw new HelmRenderException(shownAs + "/Chart.yaml: missing; a chart directory holds Chart.yaml");
        }
        Object parsed;
        try {
            parsed = new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | YAMLException e) {
            // SnakeYAML's message may quote the line; Chart.yaml holds no secrets, but keep it short
            throw new HelmRenderException(shownAs + "/Chart.yaml: not readable as YAML");
        }
        if (!(parsed instanceof Map<?, ?> map) || !(map.get("name") instanceof String name)) {
            throw new HelmRenderException(shownAs + "/Chart.yaml: missing name");
        }
        Object version = map.get("version");
        if (version == null) {
            throw new HelmRenderException(shownAs + "/Chart.yaml: missing version");
        }
        List<Dependency> dependencies = new ArrayList<>();
        if (map.get("dependencies") instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> dependency && dependency.get("name") instanceof String dependencyName) {
                    dependencies.add(new Dependency(
                            dependencyName,
                            String.valueOf(dependency.get("version")),
                            String.valueOf(dependency.get("repository"))));
                }
            }
        }
        return new ChartFile(name, String.valueOf(version), dependencies);
    }
}
