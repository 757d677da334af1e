package dev.lockstep.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.manifest.KindScopes;
import dev.lockstep.manifest.ManifestLoader;
import dev.lockstep.manifest.NamespacePolicy;
import dev.lockstep.manifest.ParseResult;
import dev.lockstep.model.Manifest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the render tests read out of a render: it succeeded, its objects as a sync parses them, one of a kind. */
final class RenderResults {
    private RenderResults() {}

    static RenderResult.Ok ok(Optional<RenderResult> result) {
        assertThat(result).isPresent();
        assertThat(result.get()).isInstanceOf(RenderResult.Ok.class);
        return (RenderResult.Ok) result.get();
    }

    /** The objects, parsed and validated for an app whose namespace is {@code namespace}; no error allowed. */
    static List<Manifest> parse(RenderResult.Ok ok, String namespace) {
        ParseResult parsed = new ManifestLoader()
                .load(
                        ok.rendered().files(),
                        ok.rendered().outputs(),
                        new NamespacePolicy(namespace, Set.of(), Set.of()),
                        KindScopes.builtIn());
        assertThat(parsed.errors()).isEmpty();
        return parsed.manifests();
    }

    static Manifest find(List<Manifest> objects, String kind) {
        return objects.stream()
                .filter(m -> m.key().kind().equals(kind))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + objects));
    }
}
