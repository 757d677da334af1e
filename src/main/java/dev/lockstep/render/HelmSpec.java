package dev.lockstep.render;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Config {@code render.helm}.
 *
 * @param releaseName {@code .Release.Name}; empty means the app's name
 * @param valuesFiles merged after the chart's values.yaml, in order; paths relative to the chart's directory
 * @param values      inline values, merged last
 */
public record HelmSpec(
        Optional<String> releaseName,
        List<String> valuesFiles,
        Map<String, Object> values,
        boolean skipCRDs,
        Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final HelmSpec DEFAULT = new HelmSpec(Optional.empty(), List.of(), Map.of(), false, DEFAULT_TIMEOUT);

    public HelmSpec {
        valuesFiles = List.copyOf(valuesFiles);
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
