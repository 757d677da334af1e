package dev.lockstep.render.helm;

import java.util.List;

/**
 * What one chart rendered to, in apply order: {@code crds}, then {@code beforeHooks}, then {@code objects}, then
 * {@code afterHooks}.
 *
 * @param chartName {@code name} of the chart's {@code Chart.yaml}
 * @param chartVersion {@code version} of the chart's {@code Chart.yaml}
 * @param valuesDigest a short digest of the values that went in (the chart's values.yaml, each values file, the inline
 *     values), so a values-only commit is told apart in history; reveals nothing of the values
 * @param crds the files of the chart's {@code crds/} directories (empty with {@code skipCRDs})
 * @param objects the chart's other objects, in Helm's order
 * @param skippedHooks the sources of hooks left out: {@code test} hooks and hooks for events Lockstep does not run
 *     ({@code pre-delete}, {@code post-delete}, {@code pre-rollback}, {@code post-rollback})
 */
public record RenderedChart(
        String chartName,
        String chartVersion,
        String valuesDigest,
        List<RenderedDocument> crds,
        List<HelmHook> beforeHooks,
        List<RenderedDocument> objects,
        List<HelmHook> afterHooks,
        List<String> skippedHooks) {
    public RenderedChart {
        crds = List.copyOf(crds);
        beforeHooks = List.copyOf(beforeHooks);
        objects = List.copyOf(objects);
        afterHooks = List.copyOf(afterHooks);
        skippedHooks = List.copyOf(skippedHooks);
    }

    /** {@code name-version}, the way Helm names a chart ({@code helm list}'s CHART column). */
    public String chartLabel() {
        return chartName + "-" + chartVersion;
    }
}
