package dev.lockstep.manifest;

import static dev.lockstep.manifest.ManifestParserTest.file;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.SourceFile;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ManifestValidatorTest {

    private final ManifestParser parser = new ManifestParser();
    private final ManifestValidator validator = new ManifestValidator();
    private final KindScopes scopes = KindScopes.builtIn();

    private ParseResult validate(NamespacePolicy policy, SourceFile... files) {
        ParseResult parsed = parser.parse(List.of(files));
        assertThat(parsed.errors()).isEmpty();
        return validator.validate(parsed.manifests(), policy, scopes);
    }

    private static List<String> errors(ParseResult result) {
        return result.errors().stream().map(ManifestError::toString).toList();
    }

    @Test
    void namespacedObjectWithoutNamespaceGetsTheTargetNamespace() {
        ParseResult parsed = parser.parse(List.of(file("app/web.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  labels: {app: web}
                spec: {replicas: 2}
                """)));

        ParseResult result = validator.validate(parsed.manifests(), NamespacePolicy.only("shop"), scopes);

        assertThat(result.ok()).isTrue();
        Manifest web = result.manifests().get(0);
        assertThat(web.key()).isEqualTo(new ResourceKey("apps", "Deployment", "shop", "web"));
        assertThat(web.location()).isEqualTo("app/web.yaml:1");
        assertThat(web.body().get("metadata"))
                .isEqualTo(Map.of("name", "web", "labels", Map.of("app", "web"), "namespace", "shop"));
        assertThat(web.body().get("spec")).isEqualTo(Map.of("replicas", 2));
        // the parsed manifest is untouched: bodies are shared read-only
        assertThat(parsed.manifests().get(0).body().get("metadata"))
                .isEqualTo(Map.of("name", "web", "labels", Map.of("app", "web")));
        assertThat(parsed.manifests().get(0).key().namespace()).isEmpty();
    }

    @Test
    void explicitTargetNamespaceIsKept() {
        ParseResult result = validate(
                NamespacePolicy.only("shop"),
                file("a.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"));

        assertThat(result.manifests()).extracting(m -> m.key().toString()).containsExactly("Service/shop/web");
    }

    @Test
    void otherNamespaceIsRefusedUnlessAllowed() {
        SourceFile file = file("infra/dns.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: ok}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: coredns
                  namespace: kube-system
                """);

        ParseResult refused = validate(NamespacePolicy.only("shop"), file);
        ParseResult allowed = validate(new NamespacePolicy("shop", Set.of("kube-system"), Set.of()), file);

        assertThat(errors(refused))
                .containsExactly(
                        "infra/dns.yaml:5: ConfigMap/kube-system/coredns: namespace"
                                + " 'kube-system' is not allowed for this app (target is 'shop'); add it to allowedNamespaces to deploy there");
        assertThat(allowed.ok()).isTrue();
        assertThat(allowed.manifests())
                .extracting(m -> m.key().toString())
                .containsExactly("ConfigMap/shop/ok", "ConfigMap/kube-system/coredns");
    }

    @Test
    void clusterScopedKindIsRefusedUnlessAllowed() {
        SourceFile file = file("rbac.yaml", """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: reader
                rules: []
                """);

        ParseResult refused = validate(NamespacePolicy.only("shop"), file);
        ParseResult allowed = validate(new NamespacePolicy("shop", Set.of(), Set.of("ClusterRole")), file);

        assertThat(errors(refused))
                .containsExactly("rbac.yaml:1: cluster-scoped kind ClusterRole (ClusterRole/reader) is"
                        + " not allowed for this app; add 'ClusterRole' to allowedClusterKinds to manage it");
        assertThat(allowed.ok()).isTrue();
        Manifest role = allowed.manifests().get(0);
        assertThat(role.key()).isEqualTo(new ResourceKey("rbac.authorization.k8s.io", "ClusterRole", "", "reader"));
        assertThat(role.body().get("metadata")).isEqualTo(Map.of("name", "reader"));
    }

    @Test
    void clusterKindCanBeAllowedWithItsGroup() {
        SourceFile file = file("crd.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.example.com}
                """);

        assertThat(validate(
                                new NamespacePolicy(
                                        "shop", Set.of(), Set.of("CustomResourceDefinition.apiextensions.k8s.io")),
                                file)
                        .ok())
                .isTrue();
        assertThat(validate(new NamespacePolicy("shop", Set.of(), Set.of("CustomResourceDefinition.example.com")), file)
                        .ok())
                .isFalse();
    }

    @Test
    void clusterScopedObjectMustNotSetANamespace() {
        ParseResult result = validate(new NamespacePolicy("shop", Set.of(), Set.of("Namespace")), file("ns.yaml", """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: other, namespace: shop}
                """));

        assertThat(errors(result))
                .containsExactly(
                        "ns.yaml:5: Namespace other is cluster-scoped but sets metadata.namespace 'shop'; remove it");
        assertThat(result.manifests()).extracting(m -> m.key().toString()).containsExactly("Namespace/shop");
    }

    @Test
    void sameObjectDefinedTwiceAcrossFilesIsAnErrorNamingBoth() {
        ParseResult result = validate(
                NamespacePolicy.only("shop"),
                file("a/web.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"),
                file(
                        "b/web.yaml",
                        "# copy\napiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"),
                file("c/web.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"));

        assertThat(errors(result))
                .containsExactly(
                        "b/web.yaml:2: Deployment/shop/web is defined twice: at a/web.yaml:1 and at b/web.yaml:2");
    }

    @Test
    void aProgressDeadlineThatIsNotAWholeNumberOfSecondsIsAnErrorNamingTheField() {
        ParseResult result = validate(NamespacePolicy.only("shop"), file("db.yaml", """
                        apiVersion: apps/v1
                        kind: StatefulSet
                        metadata:
                          name: db
                          annotations: {lockstep.dev/progress-deadline-seconds: "10m"}
                        """), file("agent.yaml", """
                        apiVersion: apps/v1
                        kind: DaemonSet
                        metadata:
                          name: agent
                          annotations: {lockstep.dev/progress-deadline-seconds: "90"}
                        """));

        assertThat(errors(result))
                .containsExactly(
                        "db.yaml:1: StatefulSet/shop/db: metadata.annotations.lockstep.dev/progress-deadline-seconds:"
                                + " \"10m\" is not a whole number of seconds (e.g. \"600\")");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ParseResult result = validate(NamespacePolicy.only("shop"), file("all.yaml", """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: s, namespace: kube-system}
                ---
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: fast}
                """));

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).extracting(ManifestError::line).containsExactly(1, 5, 9);
    }
}
