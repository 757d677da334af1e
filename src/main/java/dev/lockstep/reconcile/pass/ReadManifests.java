package dev.lockstep.reconcile.pass;

import dev.lockstep.config.AppSpec;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.manifest.KindScopes;
import dev.lockstep.manifest.ManifestLoader;
import dev.lockstep.manifest.ParseResult;
import dev.lockstep.model.Revision;
import dev.lockstep.model.SourceFile;
import java.util.List;
import java.util.Optional;

/**
 * Reads the app's path from the commit's tree, parses and validates every document. All or nothing: one bad file
 * stalls the commit. A missing path or an emptied one stalls too, so nothing is pruned because something is missing.
 */
final class ReadManifests implements Step {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ReadManifests.class);
    private final AppSpec app;
    private final GitSource git;
    private final ManifestLoader loader;
    private final KindScopes scopes;

    ReadManifests(AppSpec app, GitSource git, ManifestLoader loader, KindScopes scopes) {
        this.app = app;
        this.git = git;
        this.loader = loader;
        this.scopes = scopes;
    }

    @Override
    public StepResult run(Pass pass) {
        Revision commit = pass.requireCommit();
        int kept = pass.state().record().inventory().size();
        Optional<List<SourceFile>> files;
        try {
            files = git.readPath(commit.commit(), app.path());
        } catch (GitSourceException e) {
            return GitFailure.retry(pass, e);
        }
        if (files.isEmpty()) {
            return new StepResult.Stalled(
                    pass,
                    List.of("path '" + app.path() + "' does not exist at commit " + commit.shortSha()
                            + ": nothing applied, nothing pruned (" + kept + " objects kept)"));
        }
        ParseResult parsed = loader.load(files.get(), app.namespacePolicy(), scopes);
        parsed.warnings().forEach(w -> log.warn("app {}: commit {}: {}", app.name(), commit.shortSha(), w));
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
