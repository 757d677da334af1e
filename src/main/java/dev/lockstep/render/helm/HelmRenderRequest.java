package dev.lockstep.render.helm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One chart to render.
 *
 * @param repositoryRoot the commit's files materialized on disk; values files must stay inside it
 * @param chartDirectory the directory holding {@code Chart.yaml}, inside {@code repositoryRoot}
 * @param valuesFiles merged after the chart's {@code values.yaml}, in order; paths relative to the chart's directory
 * @param values inline values, merged last
 * @param capabilities from the live cluster's discovery
 */
public record HelmRenderRequest(
        Path repositoryRoot,
        Path chartDirectory,
        List<String> valuesFiles,
        Map<String, Object> values,
        String releaseName,
        String namespace,
        KubeCapabilities capabilities,
        boolean skipCrds,
        Duration timeout) {
    public HelmRenderRequest {
        Objects.requireNonNull(repositoryRoot, "repositoryRoot");
        Objects.requireNonNull(chartDirectory, "chartDirectory");
        valuesFiles = List.copyOf(valuesFiles);
        values = values == null ? Map.of() : values;
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(timeout, "timeout");
    }
}
