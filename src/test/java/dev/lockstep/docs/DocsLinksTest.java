package dev.lockstep.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in README.md and docs/*.md leads somewhere: the file exists, and an {@code #anchor} names a
 * heading of that file (GitHub's slugs). Links to other sites are not followed.
 */
class DocsLinksTest {
    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : docs()) {
            for (MarkdownFile.Link link : MarkdownFile.read(file).links()) {
                problem(file, link.target())
                        .ifPresent(p -> broken.add(file + ":" + link.line() + ": (" + link.target() + ") " + p));
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void slugsFollowGitHub() {
        assertThat(MarkdownFile.slug("Impersonation, RBAC, SSH and TLS")).isEqualTo("impersonation-rbac-ssh-and-tls");
        assertThat(MarkdownFile.slug("A `kustomization.yaml` in the app's path"))
                .isEqualTo("a-kustomizationyaml-in-the-apps-path");
        assertThat(MarkdownFile.slug("Losing the Lease: re-entering the election"))
                .isEqualTo("losing-the-lease-re-entering-the-election");
        assertThat(MarkdownFile.slug("`apps[].repo`")).isEqualTo("appsrepo");
    }

    static List<Path> docs() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    private static java.util.Optional<String> problem(Path file, String target) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return java.util.Optional.empty(); // https:, mailto:: another site
        }
        int hash = target.indexOf('#');
        String pathPart = hash < 0 ? target : target.substring(0, hash);
        Path resolved =
                pathPart.isEmpty() ? file : file.resolveSibling(pathPart).normalize();
        if (!Files.exists(resolved)) {
            return java.util.Optional.of("no file " + resolved);
        }
        if (hash < 0) {
            return java.util.Optional.empty();
        }
        String anchor = target.substring(hash + 1);
        if (!resolved.toString().endsWith(".md")) {
            return java.util.Optional.of("an anchor into a file that is not Markdown");
        }
        return MarkdownFile.read(resolved).anchors().contains(anchor)
                ? java.util.Optional.empty()
                : java.util.Optional.of("no heading with the anchor #" + anchor + " in " + resolved);
    }
}
