package dev.lockstep.render.kustomize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the copy reads from git: each directory once, and nothing a copied directory already holds. */
class TreeCopyTest {
    @Test
    void aFileOrBaseInsideACopiedDirectoryIsNotReadAgain() {
        assertThat(TreeCopy.outermost(List.of(
                        "deploy/overlays/prod",
                        "deploy/base",
                        "deploy/base/web.yaml",
                        "deploy/base/nested",
                        "deploy/overlays/prod-eu",
                        "shared/cm.yaml")))
                .containsExactly("deploy/base", "deploy/overlays/prod", "deploy/overlays/prod-eu", "shared/cm.yaml");
    }

    @Test
    void theRepositoryRootHoldsEverything() {
        assertThat(TreeCopy.outermost(List.of("", "base", "base/a.yaml"))).containsExactly("");
    }
}
