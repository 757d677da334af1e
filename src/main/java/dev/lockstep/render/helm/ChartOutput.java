package dev.lockstep.render.helm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A rendered chart as one multi-document YAML text in apply order (CRDs, hooks before, the other objects, hooks
 * after), each object carrying where it came from as kustomize's {@code config.kubernetes.io/origin} annotation, so
 * the manifest reader names it by its template file (relative to the chart's directory) and takes the note off again.
 * Hooks keep their {@code helm.sh/hook} annotations: the apply stages are read from them.
 */
public final class ChartOutput {
    static final String ORIGIN = "config.kubernetes.io/origin";

    private ChartOutput() {}

    public static String yaml(RenderedChart chart) {
        List<RenderedDocument> ordered = new ArrayList<>(chart.crds());
        chart.beforeHooks().forEach(h -> ordered.add(h.document()));
        ordered.addAll(chart.objects());
        chart.afterHooks().forEach(h -> ordered.add(h.document()));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Yaml yaml = new Yaml(
                new SafeConstructor(new LoaderOptions()),
                new org.yaml.snakeyaml.representer.Representer(options),
                options);
        StringBuilder out = new StringBuilder();
        for (RenderedDocument document : ordered) {
            out.append("---\n").append(withOrigin(yaml, document));
        }
        return out.toString();
    }

    /** {@code web/templates/x.yaml} → {@code templates/x.yaml}: Helm prefixes the chart's name. */
    static String inChart(String source) {
        int slash = source.indexOf('/');
        return slash < 0 ? source : source.substring(slash + 1);
    }

    @SuppressWarnings("unchecked")
    private static String withOrigin(Yaml yaml, RenderedDocument document) {
        Object parsed;
        try {
            parsed = yaml.load(document.yaml());
        } catch (YAMLException e) {
            // left as Helm wrote it: the manifest reader reports it with its own message
            return document.yaml();
        }
        if (!(parsed instanceof Map<?, ?> object)) {
            return document.yaml();
        }
        Map<String, Object> body = new LinkedHashMap<>((Map<String, Object>) object);
        Map<String, Object> metadata = body.get("metadata") instanceof Map<?, ?> m
                ? new LinkedHashMap<>((Map<String, Object>) m)
                : new LinkedHashMap<>();
        Map<String, Object> annotations = metadata.get("annotations") instanceof Map<?, ?> a
                ? new LinkedHashMap<>((Map<String, Object>) a)
                : new LinkedHashMap<>();
        annotations.put(ORIGIN, "path: " + inChart(document.source()) + "\n");
        metadata.put("annotations", annotations);
        body.put("metadata", metadata);
        return yaml.dump(body);
    }
}
