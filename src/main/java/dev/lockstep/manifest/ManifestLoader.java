package dev.lockstep.manifest;

import dev.lockstep.model.RenderedOutput;
import dev.lockstep.model.SourceFile;
import java.util.ArrayList;
import java.util.List;

/**
 * Parse plus validate: the one call a reconcile needs to turn a revision's files into what to apply.
 * Validation runs even when parsing found errors, so the user sees every problem at once; as always,
 * only an {@link ParseResult#ok()} result may be used.
 */
public final class ManifestLoader {

    private final ManifestParser parser;
    private final ManifestValidator validator;

    public ManifestLoader() {
        this(new ManifestParser(), new ManifestValidator());
    }

    public ManifestLoader(ManifestParser parser, ManifestValidator validator) {
        this.parser = parser;
        this.validator = validator;
    }

    public ParseResult load(List<SourceFile> files, NamespacePolicy policy, KindScopes scopes) {
        return load(files, List.of(), policy, scopes);
    }

    /** Plain files and render engines' outputs together, validated as one set (duplicates across them included). */
    public ParseResult load(
            List<SourceFile> files, List<RenderedOutput> outputs, NamespacePolicy policy, KindScopes scopes) {
        ParseResult parsed = parser.parse(files, outputs);
        ParseResult validated = validator.validate(parsed.manifests(), policy, scopes);
        List<ManifestError> errors = new ArrayList<>(parsed.errors());
        errors.addAll(validated.errors());
        return new ParseResult(validated.manifests(), errors, parsed.warnings());
    }
}
