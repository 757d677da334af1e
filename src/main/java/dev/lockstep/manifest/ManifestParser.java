package dev.lockstep.manifest;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.RenderedOutput;
import dev.lockstep.model.SourceFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Parses a revision's files into Manifests. Never throws on bad input: every problem in every file is
 * collected into the result, so one run tells the user everything that is wrong. See {@link ParseResult#ok()}.
 *
 * <p>Only {@code .yaml}, {@code .yml} and {@code .json} files are read; others (READMEs, scripts) are ignored.
 * Files are handled in path order so the manifest order never depends on how git listed the tree. A kustomize
 * {@code kustomization.yaml} is handled by {@link Kustomizations}.
 */
public final class ManifestParser {

    private final YamlDocuments yaml;
    private final ManifestExtractor extractor = new ManifestExtractor();

    public ManifestParser() {
        this(ParserLimits.defaults());
    }

    public ManifestParser(ParserLimits limits) {
        this.yaml = new YamlDocuments(limits);
    }

    public ParseResult parse(List<SourceFile> files) {
        return parse(files, List.of());
    }

    /**
     * Plain files as above, plus what render engines printed: each rendered object is named by the file it came from
     * when the engine says so (see {@link RenderedOrigins}), else by the output's directory and engine.
     */
    public ParseResult parse(List<SourceFile> files, List<RenderedOutput> outputs) {
        List<Manifest> manifests = new ArrayList<>();
        Kustomizations.Filtered filtered = new Kustomizations(yaml).filter(files);
        List<ManifestError> errors = new ArrayList<>(filtered.errors());
        filtered.files().stream()
                .filter(f -> isManifestFile(f.path()))
                .sorted(Comparator.comparing(SourceFile::path))
                .forEach(file -> {
                    YamlDocuments.Result read = yaml.read(file);
                    errors.addAll(read.errors());
                    read.documents().forEach(doc -> {
                        if (Kustomizations.isKustomizeDocument(doc.value())) {
                            errors.add(
                                    new ManifestError(
                                            file.path(),
                                            doc.line(),
                                            "a kustomize Kustomization, not a Kubernetes object: kustomize reads it only as"
                                                    + " kustomization.yaml, and Lockstep does not run kustomize (see docs/concepts.md)"));
                        } else {
                            extractor.extract(doc, manifests, errors);
                        }
                    });
                });
        for (RenderedOutput output : outputs) {
            YamlDocuments.Result read = yaml.read(new SourceFile(output.label(), output.yaml()));
            errors.addAll(read.errors());
            List<Manifest> rendered = new ArrayList<>();
            read.documents().forEach(doc -> extractor.extract(doc, rendered, errors));
            rendered.forEach(m -> manifests.add(RenderedOrigins.located(m, output)));
        }
        // the reader reports syntax errors before the extractor reports field errors; users read files top-down
        errors.sort(Comparator.comparing(ManifestError::file).thenComparingInt(ManifestError::line));
        return new ParseResult(manifests, errors, filtered.warnings());
    }

    static boolean isManifestFile(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
    }
}
