package dev.lockstep.reconcile.pass;

import dev.lockstep.config.AppSpec;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.git.TreeEntry;
import dev.lockstep.manifest.ManifestLoader;
import dev.lockstep.manifest.ParseResult;
import dev.lockstep.model.Revision;
import dev.lockstep.render.GitTree;
import dev.lockstep.render.RenderResult;
import dev.lockstep.render.Rendered;
import dev.lockstep.render.Renderer;
import dev.lockstep.secrets.SopsDecryptor;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns the app's path at the commit into files and engine outputs (plain files, kustomize), all or nothing: a
 * refused or failed render stalls the commit like an invalid manifest, so nothing of it is applied and nothing is
 * pruned. A missing path stalls too.
 *
 * <p>Plain files without secrets are named by the git tree id of the app's path: when that tree's clean parse is kept
 * (see {@link ManifestLoader#cached}), nothing is read from git and {@link ReadManifests} parses nothing. Apps that
 * decrypt, and engine outputs, are never kept: no decrypted value is written to disk.
 */
final class RenderManifests implements Step {
    private final AppSpec app;
    private final GitSource git;
    private final Renderer renderer;
    private final ManifestLoader loader;
    private final SopsDecryptor decryptor = new SopsDecryptor();
    /** The values decrypted for the last render, by its input key: a cached render reads no file again. */
    private final AtomicReference<Map.Entry<String, Set<String>>> lastSecretValues =
            new AtomicReference<>(Map.entry("", Set.of()));

    RenderManifests(AppSpec app, GitSource git, Renderer renderer, ManifestLoader loader) {
        this.app = app;
        this.git = git;
        this.renderer = renderer;
        this.loader = loader;
    }

    @Override
    public StepResult run(Pass pass) {
        Revision commit = pass.requireCommit();
        int kept = pass.state().record().inventory().size();
        Optional<RenderResult> result;
        DecryptingTree tree = new DecryptingTree(new GitTree(git, commit.commit()), decryptor, app.decrypt());
        Optional<String> parseKey;
        try {
            parseKey = parseKey(tree);
            Optional<ParseResult> hit = parseKey.flatMap(k -> loader.cached(app.name(), k));
            if (hit.isPresent()) {
                return new StepResult.Continue(pass.withRendered(new Rendered(List.of(), List.of(), ""))
                        .withSecretValues(Set.of())
                        .withParseCache(new CachedParse(parseKey.get(), hit)));
            }
            result = renderer.render(app.name(), app.namespace(), app.render(), normalized(app.path()), tree);
        } catch (GitSourceException e) {
            return GitFailure.retry(pass, e);
        } catch (DecryptingTree.Refused e) {
            return new StepResult.Stalled(
                    pass,
                    List.of("commit " + commit.shortSha() + ": " + e.getMessage()
                            + " (nothing applied, nothing pruned)"));
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
        Pass rendered = pass.withRendered(ok.rendered()).withSecretValues(secretValues(tree, ok));
        if (parseKey.isPresent()
                && ok.rendered().outputs().isEmpty()
                && rendered.secretValues().isEmpty()) {
            rendered = rendered.withParseCache(new CachedParse(parseKey.get(), Optional.empty()));
        }
        String engine = ok.rendered().engine();
        return new StepResult.Continue(
                engine.isEmpty() ? rendered : rendered.with(new Fact.Rendered(commit, engine, ok.took(), ok.cached())));
    }

    /**
     * The tree id of the app's path with the settings that decide how it renders, or empty when the parse is not to be
     * kept: no cache, an app that decrypts, or a path that is no directory or file.
     */
    private Optional<String> parseKey(DecryptingTree tree) throws GitSourceException {
        if (!loader.caches() || app.decrypt().sops()) {
            return Optional.empty();
        }
        String path = normalized(app.path());
        Optional<TreeEntry> at = tree.entry(path);
        if (at.isEmpty()
                || (at.get().type() != TreeEntry.Type.DIRECTORY && at.get().type() != TreeEntry.Type.FILE)) {
            return Optional.empty();
        }
        return Optional.of("tree " + at.get().id() + "\npath " + path + "\nengine "
                + app.render().engine() + "\n");
    }

    private Set<String> secretValues(DecryptingTree tree, RenderResult.Ok ok) {
        Set<String> values = new HashSet<>(tree.secretValues());
        String key = ok.rendered().inputKey();
        Map.Entry<String, Set<String>> last = lastSecretValues.get();
        if (ok.cached() && last.getKey().equals(key)) {
            values.addAll(last.getValue());
        }
        if (!key.isEmpty()) {
            lastSecretValues.set(Map.entry(key, Set.copyOf(values)));
        }
        return values;
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
