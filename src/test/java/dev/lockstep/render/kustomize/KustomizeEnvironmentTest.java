package dev.lockstep.render.kustomize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.render.DirectoryTree;
import dev.lockstep.render.KustomizeSpec;
import dev.lockstep.render.RenderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kustomize runs with none of the daemon's environment (which may hold repository tokens) and a home of its own. */
class KustomizeEnvironmentTest {
    @TempDir
    Path tmp;

    @Test
    void aBuildSeesOnlyPathLocaleProxiesAndItsOwnHome() throws Exception {
        Path fake = tmp.resolve("fake-kustomize");
        Files.writeString(fake, """
                #!/bin/sh
                if [ "$1" = version ]; then echo v5.0.0; exit 0; fi
                env | cut -d= -f1 | sort | tr '\\n' ' ' >&2
                exit 1
                """);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("app"));
        Files.writeString(repo.resolve("app/kustomization.yaml"), "resources: []\n");
        DirectoryTree tree = new DirectoryTree(repo);
        KustomizeSpec spec = new KustomizeSpec(Optional.of(List.of(fake.toString(), "build")), Duration.ofSeconds(30));
        KustomizeRenderer renderer = new KustomizeRenderer(tmp.resolve("render"), new KustomizeTools());

        String message;
        try {
            renderer.render("shop", spec, tree, renderer.plan(spec, false, tree, "app"));
            throw new AssertionError("the fake kustomize fails");
        } catch (RenderException e) {
            message = e.getMessage();
        }

        assertThat(message).startsWith("kustomize build app/kustomization.yaml failed (exit 1): ");
        Set<String> names = Arrays.stream(
                        message.substring(message.indexOf("): ") + 3).trim().split(" "))
                .collect(Collectors.toSet());
        assertThat(names)
                .contains("HOME", "PATH")
                .allMatch(n -> Set.of(
                                "HOME",
                                "PATH",
                                "LANG",
                                "LC_ALL",
                                "TZ",
                                "HTTP_PROXY",
                                "HTTPS_PROXY",
                                "NO_PROXY",
                                "http_proxy",
                                "https_proxy",
                                "no_proxy",
                                "PWD",
                                "SHLVL",
                                "_",
                                "OLDPWD")
                        .contains(n));
        assertThat(System.getenv())
                .as("the test's own environment had more to leak")
                .containsKey("PATH");
        assertThat(System.getenv().keySet()).hasSizeGreaterThan(names.size());
    }
}
