package dev.lockstep.reconcile.pass;

import dev.lockstep.config.AppSpec;
import dev.lockstep.manifest.KindScopes;
import dev.lockstep.manifest.ManifestLoader;
import dev.lockstep.manifest.ParseResult;
import dev.lockstep.model.Revision;
import dev.lockstep.model.SecretMask;
import dev.lockstep.render.Rendered;
import java.util.List;

/**
 * Parses and validates every document the render step left: plain files and engine outputs alike. All or nothing: one
 * bad document stalls the commit. An emptied path stalls too, so nothing is pruned because something is missing.
 */
final class ReadManifests implements Step {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ReadManifests.class);
    private final AppSpec app;
    private final ManifestLoader loader;
    private final KindScopes scopes;

    ReadManifests(AppSpec app, ManifestLoader loader, KindScopes scopes) {
        this.app = app;
        this.loader = loader;
        this.scopes = scopes;
    }

    @Override
    public StepResult run(Pass pass) {
        Revision commit = pass.requireCommit();
        Rendered rendered = pass.requireRendered();
        int kept = pass.state().record().inventory().size();
        ParseResult parsed = loader.validate(
                pass.parseCache()
                        .flatMap(CachedParse::hit)
                        .orElseGet(() -> loader.parse(
                                app.name(),
                                pass.parseCache().map(CachedParse::key).orElse(""),
                                rendered.files(),
                                rendered.outputs())),
                app.namespacePolicy(),
                scopes);
        parsed.warnings()
                .forEach(w -> log.warn(
                        "app {}: commit {}: {}",
                        app.name(),
                        commit.shortSha(),
                        SecretMask.maskedText(String.valueOf(w), pass.secretValues())));
        if (!parsed.ok()) {
            return new StepResult.Stalled(
                    pass,
                    parsed.errors().stream()
                            .map(e -> "commit " + commit.shortSha() + ": " + e)
                            .toList());
        }
        if (parsed.manifests().isEmpty() && kept > 0) {
            String reason = "commit " + commit.shortSha() + " has no objects under '" + app.path()
                    + "': refusing to prune the " + kept + " objects of the last good commit";
            return new StepResult.Stalled(pass.with(new Fact.PruneRefused(reason)), List.of(reason));
        }
        return new StepResult.Continue(pass.withManifests(parsed.manifests()));
    }
}
