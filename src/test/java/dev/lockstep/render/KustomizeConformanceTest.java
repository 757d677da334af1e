package dev.lockstep.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lockstep.git.GitSource;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.manifest.ManifestParser;
import dev.lockstep.manifest.ParseResult;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.SourceFile;
import dev.lockstep.render.kustomize.KustomizeRenderer;
import dev.lockstep.render.kustomize.KustomizeTool;
import dev.lockstep.render.kustomize.KustomizeTools;
import dev.lockstep.render.kustomize.KustomizeUnavailable;
import dev.lockstep.testing.GitRepoFixture;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lockstep's render of real kustomizations that no one here wrote (kustomize's own examples and Argo CD's
 * kustomize-guestbook, under {@code src/test/resources/kustomize-conformance}, each with a SOURCE.md naming where it
 * came from) equals {@code kustomize build} run directly on the same files, object by object. Lockstep's side goes the
 * way of a pass: a real git repository, {@link GitTree} over the cached commit, {@link Renderer}, then the manifest
 * parser (which takes off kustomize's origin annotation). The direct side is parsed by the same parser, so both are
 * compared as the same kind of parsed objects; the app's namespace is added only at validation, after this.
 */
class KustomizeConformanceTest {
    private static final Path FIXTURES = fixtures();

    private static KustomizeTool kustomize;

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsKustomize() {
        try {
            kustomize = KustomizeTool.find(Optional.empty());
        } catch (KustomizeUnavailable e) {
            Assumptions.abort("no kustomize v4 or later here: " + e.getMessage());
        }
    }

    /** Each fixture (a repository root) and the kustomizations in it to build. */
    static Stream<Arguments> kustomizations() {
        return Stream.of(
                Arguments.of("helloworld", ""), // commonLabels, a ConfigMap a Deployment names
                Arguments.of("ldap", "overlays/staging"), // base outside the path; namePrefix, hashed generator, SMP
                Arguments.of("ldap", "overlays/production"),
                Arguments.of("multibases", ""), // three overlays of one base, under one more namePrefix
                Arguments.of("springboot", "overlays/production"), // three strategic-merge patches, generator merge
                Arguments.of("springboot", "overlays/staging"), // configMapGenerator with env file, behavior: merge
                Arguments.of("wordpress", ""), // two bases, vars, a patch, namePrefix
                // (transformerconfigs/images is kept but not built: its MyKind 'testSvc' is no valid object name)
                Arguments.of("transformerconfigs", "crd"), // vars into a custom kind, namePrefix, commonLabels
                Arguments.of("components", "overlays/community"), // components with secretGenerator, SMP, JSON6902
                Arguments.of("components", "overlays/enterprise"),
                Arguments.of("components", "overlays/dev"),
                Arguments.of("configgeneration", "overlays/staging"), // prefix+suffix on a hashed ConfigMap reference
                Arguments.of("jsonpatch", ""), // JSON6902 from a .json and a .yaml file
                Arguments.of("inlinepatch", "smp"), // inline strategic-merge patch
                Arguments.of("inlinepatch", "json"), // inline JSON6902 patch
                Arguments.of("inlinepatch", "patch"), // inline patch with a target
                Arguments.of("patchmultipleobjects", ""), // one patch, every Deployment
                Arguments.of("image", ""), // images: newName and newTag
                Arguments.of("replacements", ""), // replacements, inline and from a file
                Arguments.of("kustomize-guestbook", "")); // Argo CD's example: namePrefix
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("kustomizations")
    void lockstepRendersWhatKustomizeBuilds(String fixture, String path) throws Exception {
        Path source = FIXTURES.resolve(fixture);
        List<Manifest> expected = direct(source.resolve(path.isEmpty() ? "." : path));

        List<Manifest> rendered = throughLockstep(source, path);

        assertThat(keys(rendered)).as("objects, in order").containsExactlyElementsOf(keys(expected));
        for (int i = 0; i < expected.size(); i++) {
            assertThat(rendered.get(i).body())
                    .as("%s rendered by Lockstep", rendered.get(i).key())
                    .isEqualTo(expected.get(i).body());
        }
        for (Manifest m : rendered) {
            String file = m.file().replace(" (generated)", "");
            assertThat(source.resolve(file))
                    .as("%s names the file it came from: %s", m.key(), m.file())
                    .exists();
        }
    }

    private List<Manifest> throughLockstep(Path source, String path) throws Exception {
        try (GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"))) {
            copy(source, repo);
            repo.commit("the example, as published");
            try (GitSource git = new GitSource(new RepoSpec(repo.url(), "main"), tmp.resolve("cache"))) {
                String commit = git.fetch().commit();
                Renderer renderer = new Renderer(
                        new KustomizeRenderer(tmp.resolve("render"), new KustomizeTools()), Clock.systemUTC());
                RenderResult result = renderer.render("example", RenderSpec.DEFAULT, path, new GitTree(git, commit))
                        .orElseThrow();
                if (result instanceof RenderResult.Refused refused) {
                    fail("Lockstep refused: " + refused.errors());
                }
                Rendered out = ((RenderResult.Ok) result).rendered();
                assertThat(out.engine()).isEqualTo(kustomize.label());
                ParseResult parsed = new ManifestParser().parse(out.files(), out.outputs());
                assertThat(parsed.errors()).as("parse errors").isEmpty();
                return parsed.manifests();
            }
        }
    }

    /** {@code kustomize build DIR} as a user runs it, parsed by the same parser. */
    private List<Manifest> direct(Path dir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(kustomize.command());
        command.add(dir.toString());
        Path out = tmp.resolve("direct.yaml");
        Path err = tmp.resolve("direct.err");
        Process p = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command + " ran past 60s");
        }
        assertThat(p.exitValue())
                .as(String.join(" ", command) + ": " + Files.readString(err))
                .isZero();
        ParseResult parsed =
                new ManifestParser().parse(List.of(new SourceFile("direct.yaml", Files.readAllBytes(out))));
        assertThat(parsed.errors()).as("parse errors of kustomize's own output").isEmpty();
        assertThat(parsed.manifests()).as("kustomize's own output").isNotEmpty();
        return parsed.manifests();
    }

    private static List<String> keys(List<Manifest> manifests) {
        return manifests.stream().map(m -> m.apiVersion() + " " + m.key()).toList();
    }

    private static void copy(Path source, GitRepoFixture repo) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                Path target = repo.dir().resolve(source.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
    }

    private static Path fixtures() {
        try {
            return Path.of(Objects.requireNonNull(KustomizeConformanceTest.class.getResource("/kustomize-conformance"))
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
