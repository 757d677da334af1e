package dev.lockstep.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.manifest.KindScopes;
import dev.lockstep.manifest.ManifestLoader;
import dev.lockstep.manifest.NamespacePolicy;
import dev.lockstep.manifest.ParseResult;
import dev.lockstep.model.SourceFile;
import dev.lockstep.util.Tree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What ships in config/ and manifests-example/ must load: a user copies these first. */
class ShippedConfigTest {
    private static List<SourceFile> files(Path dir) throws Exception {
        List<SourceFile> out = new ArrayList<>();
        try (Stream<Path> walk = Files.list(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.add(new SourceFile(p.getFileName().toString(), Files.readAllBytes(p)));
            }
        }
        return out;
    }

    @Test
    void exampleConfigLoads() throws Exception {
        // parse, not load: the files it names are mounted in the pod, not here
        LockstepConfig config = new ConfigLoader()
                .parse("config/lockstep.yaml", Files.readString(Path.of("config/lockstep.yaml")), Path.of("config"));
        assertThat(config.apps()).extracting(AppSpec::name).containsExactly("hello");
    }

    @Test
    void inClusterManifestsParseAndTheirEmbeddedConfigLoads() throws Exception {
        ParseResult parsed = new ManifestLoader()
                .load(
                        files(Path.of("config/deploy")),
                        new NamespacePolicy(
                                "lockstep-system", Set.of(), Set.of("Namespace", "ClusterRole", "ClusterRoleBinding")),
                        KindScopes.builtIn());
        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.manifests())
                .extracting(m -> m.key().kind())
                .contains(
                        "Deployment",
                        "Service",
                        "ConfigMap",
                        "Secret",
                        "ServiceAccount",
                        "Namespace",
                        "ClusterRole",
                        "Role",
                        "RoleBinding");
        Map<String, Object> configMap = parsed.manifests().stream()
                .filter(m -> m.key().kind().equals("ConfigMap"))
                .findFirst()
                .orElseThrow()
                .body();
        String embedded = Tree.string(configMap, "data", "config.yaml").orElseThrow();
        assertThat(new ConfigLoader()
                        .parse("configmap config.yaml", embedded, Path.of("/"))
                        .apps())
                .hasSize(1);
    }

    @Test
    void theShardedVariantSwitchesShardingOnForThreeWorkingReplicas() throws Exception {
        ParseResult parsed = new ManifestLoader()
                .load(
                        files(Path.of("config/deploy/sharded")),
                        new NamespacePolicy("lockstep-system", Set.of(), Set.of()),
                        KindScopes.builtIn());
        assertThat(parsed.errors()).isEmpty();
        Map<String, Object> configMap = parsed.manifests().stream()
                .filter(m -> m.key().kind().equals("ConfigMap"))
                .findFirst()
                .orElseThrow()
                .body();
        String embedded = Tree.string(configMap, "data", "config.yaml").orElseThrow();
        assertThat(new ConfigLoader()
                        .parse("sharded config.yaml", embedded, Path.of("/"))
                        .sharding())
                .isTrue();
        Map<String, Object> deployment = parsed.manifests().stream()
                .filter(m -> m.key().kind().equals("Deployment"))
                .findFirst()
                .orElseThrow()
                .body();
        assertThat(Tree.number(deployment, "spec", "replicas")).contains(3L);
    }

    @Test
    void theImpersonationRbacGivesTheDaemonNoWriteAndImpersonatesOnlyNamedAccounts() throws Exception {
        ParseResult parsed = new ManifestLoader()
                .load(
                        files(Path.of("config/deploy/impersonation")),
                        new NamespacePolicy(
                                "lockstep-system", Set.of("hello"), Set.of("ClusterRole", "ClusterRoleBinding")),
                        KindScopes.builtIn());
        assertThat(parsed.errors()).isEmpty();
        Map<String, Object> reader = parsed.manifests().stream()
                .filter(m -> m.key().kind().equals("ClusterRole"))
                .findFirst()
                .orElseThrow()
                .body();
        List<Object> clusterWideVerbs = Tree.maps(reader, "rules").stream()
                .filter(rule -> !Tree.list(rule, "resources").contains("events"))
                .flatMap(rule -> Tree.list(rule, "verbs").stream())
                .toList();
        assertThat(clusterWideVerbs).as("cluster-wide, the daemon only reads").containsOnly("get", "list", "watch");
        assertThat(parsed.manifests().stream()
                        .filter(m -> m.key().kind().equals("Role"))
                        .flatMap(m -> Tree.maps(m.body(), "rules").stream())
                        .filter(rule -> Tree.list(rule, "verbs").contains("impersonate"))
                        .toList())
                .singleElement()
                .satisfies(rule -> assertThat(Tree.list(rule, "resourceNames")).containsExactly("hello-deployer"));
    }

    @Test
    void theSeedAppMatchesTheStory() throws Exception {
        ParseResult parsed = new ManifestLoader()
                .load(files(Path.of("manifests-example")), NamespacePolicy.only("hello"), KindScopes.builtIn());
        assertThat(parsed.errors()).isEmpty();
        Map<String, Object> deployment = parsed.manifests().stream()
                .filter(m -> m.key().kind().equals("Deployment"))
                .findFirst()
                .orElseThrow()
                .body();
        assertThat(Tree.number(deployment, "spec", "replicas")).contains(3L);
        assertThat(Tree.string(
                        Tree.maps(Tree.map(deployment, "spec", "template", "spec"), "containers")
                                .get(0),
                        "image"))
                .contains("080196/hello-app:v1");
    }
}
