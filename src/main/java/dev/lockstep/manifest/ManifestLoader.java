package dev.lockstep.manifest;

import dev.lockstep.model.RenderedOutput;
import dev.lockstep.model.SourceFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parse plus validate: the one call a reconcile needs to turn a revision's files into what to apply.
 * Validation runs even when parsing found errors, so the user sees every problem at once; as always,
 * only an {@link ParseResult#ok()} result may be used.
 */
public final class ManifestLoader {

    private final ManifestParser parser;
    private final ManifestValidator validator;
    private final Optional<ParsedManifestCache> cache;

    public ManifestLoader() {
        this(new ManifestParser(), new ManifestValidator());
    }

    public ManifestLoader(ManifestParser parser, ManifestValidator validator) {
        this(parser, validator, Optional.empty());
    }

    /** With clean parses kept on disk by tree (see {@link ParsedManifestCache}): a restart parses no known tree. */
    public ManifestLoader(ParsedManifestCache cache) {
        this(new ManifestParser(), new ManifestValidator(), Optional.of(cache));
    }

    private ManifestLoader(ManifestParser parser, ManifestValidator validator, Optional<ParsedManifestCache> cache) {
        this.parser = parser;
        this.validator = validator;
        this.cache = cache;
    }

    /** A clean parse kept for this app under {@code key} (a tree id and what else decides the parse), if any. */
    public Optional<ParseResult> cached(String app, String key) {
        return cache.flatMap(c -> c.get(app, key));
    }

    /** Whether {@link #cached} can ever answer: without a cache, callers need not work out a key. */
    public boolean caches() {
        return cache.isPresent();
    }

    /** Parses without validating; a clean result is kept under {@code key} when there is a cache. */
    public ParseResult parse(String app, String key, List<SourceFile> files, List<RenderedOutput> outputs) {
        ParseResult parsed = parser.parse(files, outputs);
        if (!key.isEmpty()) {
            cache.ifPresent(c -> c.put(app, key, parsed));
        }
        return parsed;
    }

    /** Validates what {@link #parse} or {@link #cached} gave, every error of both together, as {@link #load} does. */
    public ParseResult validate(ParseResult parsed, NamespacePolicy policy, KindScopes scopes) {
        ParseResult validated = validator.validate(parsed.manifests(), policy, scopes);
        List<ManifestError> errors = new ArrayList<>(parsed.errors());
        errors.addAll(validated.errors());
        return new ParseResult(validated.manifests(), errors, parsed.warnings());
    }

    public ParseResult load(List<SourceFile> files, NamespacePolicy policy, KindScopes scopes) {
        return load(files, List.of(), policy, scopes);
    }

    /** Plain files and render engines' outputs together, validated as one set (duplicates across them included). */
    public ParseResult load(
            List<SourceFile> files, List<RenderedOutput> outputs, NamespacePolicy policy, KindScopes scopes) {
        return validate(parser.parse(files, outputs), policy, scopes);
    }
}
