package dev.lockstep.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.util.Tree;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplyBodyTest {
    @Test
    void addsOwnershipLabelsAndPortProtocolsAndDropsServerFields() {
        Map<String, Object> body = Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                Map.of("name", "web", "namespace", "shop", "resourceVersion", "42", "uid", "u"),
                "spec",
                Map.of(
                        "replicas",
                        3,
                        "template",
                        Map.of(
                                "spec",
                                Map.of(
                                        "containers",
                                        List.of(Map.of(
                                                "name",
                                                "web",
                                                "image",
                                                "web:1",
                                                "ports",
                                                List.of(Map.of("containerPort", 3000))))))),
                "status",
                Map.of("replicas", 3));
        Manifest m =
                new Manifest(ResourceKey.of("apps/v1", "Deployment", "shop", "web"), "apps/v1", body, "web.yaml", 1);

        Map<String, Object> out = ApplyBody.of(m, "shop", false);

        assertThat(Tree.map(out, "metadata", "labels"))
                .containsEntry("app.kubernetes.io/managed-by", "lockstep")
                .containsEntry("lockstep.dev/app", "shop");
        assertThat(Tree.map(out, "metadata")).doesNotContainKeys("resourceVersion", "uid");
        assertThat(out).doesNotContainKey("status");
        Map<String, Object> container = Tree.maps(Tree.map(out, "spec", "template", "spec"), "containers")
                .get(0);
        assertThat(Tree.maps(container, "ports").get(0)).containsEntry("protocol", "TCP");
        assertThat(Tree.map(m.body(), "metadata")).containsKey("resourceVersion");
    }

    @Test
    void leavesReplicasToAnHpa() {
        Manifest m = new Manifest(
                ResourceKey.of("apps/v1", "Deployment", "shop", "web"),
                "apps/v1",
                Map.of("metadata", Map.of("name", "web"), "spec", Map.of("replicas", 3)),
                "web.yaml",
                1);
        assertThat(Tree.map(ApplyBody.of(m, "shop", true), "spec")).doesNotContainKey("replicas");
    }
}
