package dev.lockstep.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cli.Main;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.SourceFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real repository's kustomization.yaml beside its manifests (as in Online Boutique's kubernetes-manifests/). */
class KustomizationsTest {
    private static final String PLAIN = """
            # the services of the shop
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
            - cart.yaml
            - frontend.yaml
            """;

    private final ManifestParser parser = new ManifestParser();

    private static SourceFile file(String path, String content) {
        return new SourceFile(path, content.getBytes(StandardCharsets.UTF_8));
    }

    private static String configMap(String name) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  a: b\n";
    }

    @Test
    void aPlainResourcesListIsReadAsTheFilesItNamesAndIsNoObjectItself() {
        ParseResult result = parser.parse(List.of(
                file("shop/kustomization.yaml", PLAIN),
                file("shop/cart.yaml", configMap("cart")),
                file("shop/frontend.yaml", configMap("frontend"))));

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).isEmpty();
        assertThat(result.manifests())
                .extracting(Manifest::location)
                .containsExactly("shop/cart.yaml:1", "shop/frontend.yaml:1");
    }

    @Test
    void aManifestFileTheListLeavesOutIsSkippedWithAWarning() {
        ParseResult result = parser.parse(List.of(
                file("shop/kustomization.yaml", PLAIN),
                file("shop/cart.yaml", configMap("cart")),
                file("shop/frontend.yaml", configMap("frontend")),
                file("shop/old/legacy.yaml", configMap("legacy")),
                file("other/web.yaml", configMap("web"))));

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings())
                .extracting(ManifestError::toString)
                .containsExactly(
                        "shop/old/legacy.yaml: skipped: not in the resources: list of shop/kustomization.yaml");
        assertThat(result.manifests()).extracting(m -> m.key().name()).containsExactly("web", "cart", "frontend");
    }

    @Test
    void whatKustomizeWouldTransformIsRefusedNamingKustomizeAndTheLine() {
        ParseResult result = parser.parse(List.of(
                file("shop/kustomization.yaml", PLAIN + "images:\n- name: cart\n  newTag: v2\n"),
                file("shop/cart.yaml", configMap("cart")),
                file("shop/frontend.yaml", configMap("frontend"))));

        assertThat(result.ok()).isFalse();
        assertThat(result.errors())
                .extracting(ManifestError::toString)
                .singleElement()
                .asString()
                .startsWith("shop/kustomization.yaml:7: a kustomize Kustomization (kustomize.config.k8s.io/*) using"
                        + " 'images': Lockstep does not run kustomize. Commit the output of 'kustomize build shop'");
    }

    @Test
    void aBaseInAnotherDirectoryOrARemoteOneIsRefused() {
        ParseResult result = parser.parse(List.of(
                file("prod/kustomization.yaml", "resources:\n- ../base\n- https://github.com/acme/x//deploy\n")));

        assertThat(result.errors())
                .extracting(ManifestError::message)
                .anySatisfy(
                        m -> assertThat(m).startsWith("resources: '../base' is outside the kustomization's directory"))
                .anySatisfy(m ->
                        assertThat(m).startsWith("resources: 'https://github.com/acme/x//deploy' is a remote base"));
    }

    @Test
    void aKustomizeDocumentUnderAnotherNameIsNamedAsSuchAndFluxsKustomizationIsAnObject() {
        ParseResult result = parser.parse(List.of(file("app/kustomize.yaml", PLAIN), file("app/flux.yaml", """
                        apiVersion: kustomize.toolkit.fluxcd.io/v1
                        kind: Kustomization
                        metadata:
                          name: apps
                        spec:
                          path: ./apps
                        """)));

        assertThat(result.errors())
                .extracting(ManifestError::toString)
                .singleElement()
                .asString()
                .startsWith("app/kustomize.yaml:2: a kustomize Kustomization, not a Kubernetes object");
        assertThat(result.manifests()).extracting(m -> m.key().kind()).containsExactly("Kustomization");
    }

    @Test
    void validateOnSuchADirectoryRendersItWithKustomizeAsTheDaemonWould(@TempDir Path dir) throws Exception {
        dev.lockstep.testing.KustomizeAvailable.assume();
        Files.writeString(dir.resolve("kustomization.yaml"), PLAIN);
        Files.writeString(dir.resolve("cart.yaml"), configMap("cart"));
        Files.writeString(dir.resolve("frontend.yaml"), configMap("frontend"));
        Files.writeString(dir.resolve("unlisted.yaml"), configMap("unlisted"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "validate", dir.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .startsWith("rendered by kustomize v")
                .contains("2 objects valid")
                .doesNotContain("unlisted");

        Files.writeString(dir.resolve("kustomization.yaml"), PLAIN + "namePrefix: prod-\n");
        StringWriter out2 = new StringWriter();
        assertThat(Main.run(new PrintWriter(out2), new PrintWriter(new StringWriter()), "validate", dir.toString()))
                .isZero();
        assertThat(out2.toString()).contains("ConfigMap/default/prod-cart", "ConfigMap/default/prod-frontend");
    }
}
