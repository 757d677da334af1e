package dev.lockstep.render.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Renders a chart kept in git with Helm's own template engine (helm-java, Helm's Go library through JNA), offline:
 * the chart's {@code values.yaml}, then the values files in order, then the inline values, merged by Helm; the
 * release's name and namespace; the cluster's version as {@code .Capabilities.KubeVersion} and its served API versions
 * for {@code .Capabilities.APIVersions.Has} ({@link ApiVersionsBinding}). Dependencies must be
 * vendored. The result splits CRDs, hooks per stage and the other objects.
 *
 * <p>The native library: helm-java copies Helm's shared library (about 98 MB) into a new directory under {@code
 * java.io.tmpdir} on first use and JNA unpacks its own stub under {@code jna.tmpdir}; with a read-only root file
 * system both must point at a writable mount (the image sets {@code -Djava.io.tmpdir=/tmp -Djna.tmpdir=/tmp/jna}, and
 * {@code config/deploy/} mounts an emptyDir at {@code /tmp}). The chart's working copy goes there too.
 */
public final class HelmChartRenderer {

    public RenderedChart render(HelmRenderRequest request) throws HelmRenderException {
        Path chartDirectory = request.chartDirectory();
        String shownAs = shownAs(request);
        try {
            ChartFile chart = ChartFile.read(chartDirectory, shownAs);
            ValuesInputs values = ValuesInputs.read(
                    request.repositoryRoot(), chartDirectory, request.valuesFiles(), request.values());
            String digest = values.digest(chartDirectory);
            ChartWorkspace workspace = ChartWorkspace.copyOf(chartDirectory, shownAs);
            String output;
            List<RenderedDocument> crds;
            boolean handedOver = false;
            try {
                VendoredCharts.check(workspace.chart(), chart, shownAs);
                crds = request.skipCrds() ? List.of() : ChartCrds.read(workspace.chart(), chart.name());
                if (!request.capabilities().apiVersions().isEmpty()) {
                    workspace.bindApiVersions(request.capabilities().apiVersions());
                }
                List<Path> valuesFiles = new ArrayList<>();
                for (int i = 0; i < values.files().size(); i++) {
                    valuesFiles.add(workspace.writeValues(
                            "values-" + i + ".yaml", values.files().get(i).content()));
                }
                if (!values.inlineYaml().isEmpty()) {
                    valuesFiles.add(workspace.writeValues("values-inline.yaml", values.inlineYaml()));
                }
                var arguments = new HelmTemplateCall.Arguments(
                        workspace.chart(),
                        valuesFiles,
                        request.releaseName(),
                        request.namespace(),
                        request.capabilities().kubeVersion());
                // from here the render thread owns the workspace and deletes it when Helm returns
                handedOver = true;
                output = HelmTemplateCall.run(
                        arguments, request.timeout(), "lockstep-helm-" + chart.name(), workspace::delete);
            } catch (HelmRenderException e) {
                throw new HelmRenderException(
                        withRepositoryNames(e.getMessage(), workspace, values, shownAs), e.getCause());
            } catch (TimeoutException e) {
                throw new HelmRenderException(shownAs + ": Helm did not finish rendering within " + request.timeout()
                        + " (timeout); its thread lockstep-helm-" + chart.name()
                        + " is left to finish on its own and its result is discarded");
            } finally {
                if (!handedOver) {
                    workspace.delete();
                }
            }
            RenderedOutput.Sorted sorted =
                    RenderedOutput.sort(RenderedOutput.documents(HookKey.restore(output), shownAs));
            return new RenderedChart(
                    chart.name(),
                    chart.version(),
                    digest,
                    crds,
                    sorted.beforeHooks(),
                    sorted.objects(),
                    sorted.afterHooks(),
                    sorted.skippedHooks());
        } catch (IOException e) {
            throw new HelmRenderException(shownAs + ": cannot read the chart: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new HelmRenderException(
                    shownAs + ": cannot read the chart: " + e.getCause().getMessage(), e);
        }
    }

    private static String shownAs(HelmRenderRequest request) {
        Path root = request.repositoryRoot().toAbsolutePath().normalize();
        Path chart = request.chartDirectory().toAbsolutePath().normalize();
        String relative = chart.startsWith(root) ? root.relativize(chart).toString() : chart.toString();
        return relative.isEmpty() ? "." : relative.replace('\\', '/');
    }

    /** Helm names the files it read by their workspace paths; the user knows them by their paths in the commit. */
    private static String withRepositoryNames(
            String message, ChartWorkspace workspace, ValuesInputs values, String shownAs) {
        String text = message;
        for (int i = 0; i < values.files().size(); i++) {
            text = text.replace(
                    workspace.root().resolve("values-" + i + ".yaml").toString(),
                    values.files().get(i).asWritten());
        }
        text = text.replace(workspace.root().resolve("values-inline.yaml").toString(), "the inline values");
        text = text.replace(workspace.chart().toString(), shownAs);
        return text;
    }
}
