package dev.lockstep.render;

import dev.lockstep.git.GitSourceException;
import dev.lockstep.git.TreeEntry;
import dev.lockstep.model.RenderedOutput;
import dev.lockstep.model.SourceFile;
import dev.lockstep.render.helm.KubeCapabilities;
import dev.lockstep.render.kustomize.Kustomization;
import dev.lockstep.render.kustomize.KustomizeRenderer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Turns one app's path at one commit into files and engine outputs to parse, choosing the engine as {@code
 * render.engine} says. {@code auto}: a kustomization at the path means kustomize renders the whole path; otherwise the
 * path is plain files, except that each subdirectory holding a kustomization is rendered by kustomize as one unit.
 *
 * <p>Each app's last render is kept with the digest of everything it read, so a commit that changes nothing the app
 * reads renders nothing. Safe for concurrent apps: each app renders in its own directory.
 */
public final class Renderer {
    private static final String CHART = "Chart.yaml";

    private final KustomizeRenderer kustomize;
    private final HelmCharts helm;
    private final Clock clock;
    private final Map<String, Rendered> lastByApp = new ConcurrentHashMap<>();

    /** Without a cluster at hand: charts see Helm's default {@code .Capabilities}. */
    public Renderer(KustomizeRenderer kustomize, Clock clock) {
        this(
                kustomize,
                clock,
                Path.of(System.getProperty("java.io.tmpdir"), "lockstep-helm"),
                () -> KubeCapabilities.UNKNOWN);
    }

    /**
     * @param helmWork where a chart and its values files are written for Helm, one directory per render
     * @param capabilities the cluster's version ({@code v1.20.2}) and served API versions from its discovery, for a
     *     chart's {@code .Capabilities}; asked once per chart render
     */
    public Renderer(KustomizeRenderer kustomize, Clock clock, Path helmWork, Supplier<KubeCapabilities> capabilities) {
        this.kustomize = kustomize;
        this.helm = new HelmCharts(helmWork, capabilities);
        this.clock = clock;
    }

    /**
     * @param path the app's path, normalized ("" for the root)
     * @return empty when the path does not exist in the tree
     */
    public Optional<RenderResult> render(String app, RenderSpec spec, String path, SourceTree tree)
            throws GitSourceException {
        return render(app, "default", spec, path, tree);
    }

    /** @param namespace the app's namespace: a chart's {@code .Release.Namespace} */
    public Optional<RenderResult> render(String app, String namespace, RenderSpec spec, String path, SourceTree tree)
            throws GitSourceException {
        Optional<TreeEntry> at = tree.entry(path);
        if (at.isEmpty() || at.get().type() == TreeEntry.Type.SUBMODULE) {
            return Optional.empty();
        }
        if (at.get().type() == TreeEntry.Type.SYMLINK) {
            return Optional.of(new RenderResult.Refused(
                    List.of("path '" + path + "' is a symlink at " + tree.label() + "; it is not followed")));
        }
        Set<String> paths = at.get().type() == TreeEntry.Type.DIRECTORY
                ? tree.under(path).stream().map(TreeEntry::path).collect(Collectors.toSet())
                : Set.of(path);
        RenderEngine engine = spec.engine() == RenderEngine.AUTO ? detect(path, paths) : spec.engine();
        try {
            return Optional.of(
                    switch (engine) {
                        case PLAIN -> plain(tree, path);
                        case KUSTOMIZE -> units(app, spec, tree, List.of(), List.of(path));
                        case HELM -> chart(app, namespace, spec, tree, path);
                        case AUTO -> auto(app, spec, tree, path, paths);
                    });
        } catch (RenderException e) {
            return Optional.of(new RenderResult.Refused(e.problems()));
        }
    }

    private static RenderEngine detect(String path, Set<String> paths) {
        if (Kustomization.fileIn(path, paths).isPresent()) {
            return RenderEngine.KUSTOMIZE;
        }
        if (paths.contains(path.isEmpty() ? CHART : path + "/" + CHART)) {
            return RenderEngine.HELM;
        }
        return RenderEngine.AUTO;
    }

    /** Helm renders the chart at the path; no cache: a chart renders only for a new commit. */
    private RenderResult chart(String app, String namespace, RenderSpec spec, SourceTree tree, String path)
            throws GitSourceException, RenderException {
        long start = clock.millis();
        RenderedOutput output = helm.render(app, namespace, spec.helm(), tree, path);
        return new RenderResult.Ok(
                new Rendered(List.of(), List.of(output), ""), Duration.ofMillis(clock.millis() - start), false);
    }

    private static RenderResult plain(SourceTree tree, String path) throws GitSourceException {
        List<SourceFile> files = tree.files(path).orElse(List.of());
        return new RenderResult.Ok(new Rendered(files, List.of(), ""), Duration.ZERO, false);
    }

    /** Plain files, with every top-most subdirectory that holds a kustomization rendered as one unit. */
    private RenderResult auto(String app, RenderSpec spec, SourceTree tree, String path, Set<String> paths)
            throws GitSourceException, RenderException {
        List<String> units = paths.stream()
                .filter(p -> Kustomization.FILE_NAMES.contains(p.substring(p.lastIndexOf('/') + 1)))
                .map(p -> p.substring(0, p.lastIndexOf('/')))
                .distinct()
                .sorted()
                .toList();
        List<String> topMost = new ArrayList<>();
        for (String unit : units) {
            if (topMost.stream().noneMatch(t -> unit.startsWith(t + "/"))) {
                topMost.add(unit);
            }
        }
        List<SourceFile> files = tree.files(path).orElse(List.of()).stream()
                .filter(f -> topMost.stream().noneMatch(u -> f.path().startsWith(u + "/")))
                .toList();
        if (topMost.isEmpty()) {
            return new RenderResult.Ok(new Rendered(files, List.of(), ""), Duration.ZERO, false);
        }
        return units(app, spec, tree, files, topMost);
    }

    private RenderResult units(
            String app, RenderSpec spec, SourceTree tree, List<SourceFile> files, List<String> directories)
            throws GitSourceException, RenderException {
        List<KustomizeRenderer.Plan> plans = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        for (String dir : directories) {
            KustomizeRenderer.Plan plan = kustomize.plan(spec.kustomize(), spec.allowRemoteBases(), tree, dir);
            plans.add(plan);
            key.append(plan.key().isEmpty() ? "\u0000nocache" : plan.key()).append('\n');
        }
        for (SourceFile f : files) {
            key.append(f.path())
                    .append('\0')
                    .append(java.util.Arrays.hashCode(f.content()))
                    .append('\n');
        }
        String inputKey = key.indexOf("\u0000nocache") >= 0 ? "" : key.toString();
        Rendered last = lastByApp.get(app);
        if (!inputKey.isEmpty() && last != null && last.inputKey().equals(inputKey)) {
            return new RenderResult.Ok(last.withFiles(files), Duration.ZERO, true);
        }
        long start = clock.millis();
        List<RenderedOutput> outputs = new ArrayList<>();
        for (KustomizeRenderer.Plan plan : plans) {
            outputs.add(kustomize.render(app, spec.kustomize(), tree, plan));
        }
        Rendered rendered = new Rendered(files, outputs, inputKey);
        if (!inputKey.isEmpty()) {
            lastByApp.put(app, rendered);
        }
        return new RenderResult.Ok(rendered, Duration.ofMillis(clock.millis() - start), false);
    }
}
