package dev.lockstep.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real manifests from public repositories, each in a form kubectl takes that a YAML 1.1 reader may refuse or read
 * differently: tabs and CRLF, separators with trailing spaces, comments after values, block scalars, octal modes,
 * aliases, flow collections, quoted keys (each file names its source and the form). Every one must parse into the
 * same objects kubectl makes of it: yaml-corpus-kubectl holds kubectl's own rendering, taken once with kubectl 1.32
 * ({@code kubectl kustomize} of a directory with the file, in file order; where kustomize's YAML library reads the
 * file otherwise than {@code kubectl apply -f}, the rendering's header says how it was taken instead).
 */
class YamlCorpusTest {
    private static final Path CORPUS = Path.of("src/test/resources/yaml-corpus");
    private static final Path KUBECTL = Path.of("src/test/resources/yaml-corpus-kubectl");

    static Stream<String> corpus() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    private static ParseResult parse(Path file) throws IOException {
        return new ManifestParser()
                .parse(List.of(new SourceFile(file.getFileName().toString(), Files.readAllBytes(file))));
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void parsesIntoWhatKubectlMakesOfIt(String name) throws IOException {
        assertThat(Files.readString(CORPUS.resolve(name)))
                .as("the file names its source")
                .contains("# Source: github.com/");
        ParseResult ours = parse(CORPUS.resolve(name));
        ParseResult kubectl = parse(KUBECTL.resolve(name));

        assertThat(ours.errors()).isEmpty();
        assertThat(kubectl.errors()).isEmpty();
        assertThat(ours.manifests())
                .map(Manifest::key)
                .containsExactlyElementsOf(
                        kubectl.manifests().stream().map(Manifest::key).toList());
        assertThat(ours.manifests())
                .map(Manifest::body)
                .containsExactlyElementsOf(
                        kubectl.manifests().stream().map(Manifest::body).toList());
    }
}
