package dev.lockstep.reconcile.pass;

import dev.lockstep.config.AppSpec;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.model.Revision;
import dev.lockstep.render.GitTree;
import dev.lockstep.render.RenderResult;
import dev.lockstep.render.Renderer;
import java.util.List;
import java.util.Optional;

/**
 * Turns the app's path at the commit into files and engine outputs (plain files, kustomize), all or nothing: a
 * refused or failed render stalls the commit like an invalid manifest, so nothing of it is applied and nothing is
 * pruned. A missing path stalls too.
 */
final class RenderManifests implements Step {
    private final AppSpec app;
    private final GitSource git;
    private final Renderer renderer;

    RenderManifests(AppSpec app, GitSource git, Renderer renderer) {
        this.app = app;
        this.git = git;
        this.renderer = renderer;
    }

    @Override
    public StepResult run(Pass pass) {
        Revision commit = pass.requireCommit();
        int kept = pass.state().record().inventory().size();
        Optional<RenderResult> result;
        try {
            result = renderer.render(
                    app.name(), app.render(), normalized(app.path()), new GitTree(git, commit.commit()));
        } catch (GitSourceException e) {
            return GitFailure.retry(pass, e);
        }
        if (result.isEmpty()) {
            return new StepResult.Stalled(
                    pass,
                    List.of("path '" + app.path() + "' does not exist at commit " + commit.shortSha()
                            + ": nothing applied, nothing pruned (" + kept + " objects kept)"));
        }
        if (result.get() instanceof RenderResult.Refused refused) {
            return new StepResult.Stalled(
                    pass,
                    refused.errors().stream()
                            .map(e -> "commit " + commit.shortSha() + ": " + e + " (nothing applied, nothing pruned)")
                            .toList());
        }
        RenderResult.Ok ok = (RenderResult.Ok) result.get();
        Pass rendered = pass.withRendered(ok.rendered());
        String engine = ok.rendered().engine();
        return new StepResult.Continue(
                engine.isEmpty() ? rendered : rendered.with(new Fact.Rendered(commit, engine, ok.took(), ok.cached())));
    }

    /** The app path in the tree's form: '/'-separated, no leading "./" or "/", "" for the root. */
    static String normalized(String path) {
        String p = path.replace('\\', '/');
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        p = p.replaceAll("^/+", "").replaceAll("/+$", "").replaceAll("/+", "/");
        return p.equals(".") ? "" : p;
    }
}
