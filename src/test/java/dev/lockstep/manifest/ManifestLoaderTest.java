package dev.lockstep.manifest;

import static dev.lockstep.manifest.ManifestParserTest.file;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.Manifest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ManifestLoaderTest {

    private final ManifestLoader loader = new ManifestLoader();

    @Test
    void parsesAndValidatesARevision() {
        ParseResult result = loader.load(
                List.of(
                        file("deploy/app.yaml", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: web}
                        ---
                        apiVersion: v1
                        kind: Service
                        metadata: {name: web}
                        """),
                        file(
                                "deploy/ns.json",
                                "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"shop\"}}"),
                        file("deploy/README.md", "# not a manifest")),
                new NamespacePolicy("shop", Set.of(), Set.of("Namespace")),
                KindScopes.builtIn());

        assertThat(result.ok()).isTrue();
        assertThat(result.requireOk())
                .extracting(m -> m.key().toString(), Manifest::location)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Deployment/shop/web", "deploy/app.yaml:1"),
                        org.assertj.core.groups.Tuple.tuple("Service/shop/web", "deploy/app.yaml:5"),
                        org.assertj.core.groups.Tuple.tuple("Namespace/shop", "deploy/ns.json:1"));
    }

    @Test
    void reportsParseAndPolicyErrorsTogether() {
        ParseResult result = loader.load(
                List.of(
                        file(
                                "a.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: kube-system}\n"),
                        file("b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n  name: z\n")),
                NamespacePolicy.only("shop"),
                KindScopes.builtIn());

        assertThat(result.ok()).isFalse();
        assertThat(result.errors())
                .extracting(e -> e.file() + ":" + e.line())
                .containsExactlyInAnyOrder("a.yaml:1", "b.yaml:5");
    }

    @Test
    void customScopesAreConsulted() {
        KindScopes discovery = (group, kind) -> group.equals("example.com") && kind.equals("Cluster");

        ParseResult result = loader.load(
                List.of(file("c.yaml", "apiVersion: example.com/v1\nkind: Cluster\nmetadata: {name: c1}\n")),
                NamespacePolicy.only("shop"),
                discovery);

        assertThat(result.errors())
                .singleElement()
                .extracting(ManifestError::message)
                .asString()
                .contains("allowedClusterKinds");
    }
}
