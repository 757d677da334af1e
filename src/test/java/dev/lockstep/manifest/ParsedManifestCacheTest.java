package dev.lockstep.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.SourceFile;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parse cache's file: what comes back is what was parsed, and a file it cannot trust is a miss, never an error. */
class ParsedManifestCacheTest {
    private static final String TREE_A = "tree 1111\npath app\nengine AUTO\n";
    private static final String TREE_B = "tree 2222\npath app\nengine AUTO\n";

    @TempDir
    Path tmp;

    private final ManifestParser parser = new ManifestParser();

    private ParseResult parse(String yaml) {
        return parser.parse(List.of(new SourceFile("app/all.yaml", yaml.getBytes(StandardCharsets.UTF_8))));
    }

    private static final String OBJECTS = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {tier: front}
              annotations: {note: "línea ✓", empty: ""}
            spec:
              replicas: 3
              revisionHistoryLimit: 3.0
              progressDeadlineSeconds: 4000000000
              big: 123456789012345678901234567890
              ratio: 0.25
              paused: false
              minReadySeconds: -2
              selector: {matchLabels: {app: web}}
              strategy: ~
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: registry.example/web:v1
                      args: ["--port", "8080", "", "yes"]
                      ports: [{containerPort: 8080}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: other}
            data: {a: "1", b: "true"}
            """;

    @Test
    void aKeptParseComesBackEqualValueForValue() {
        ParsedManifestCache cache = new ParsedManifestCache(tmp, "1.0");
        ParseResult parsed = parse(OBJECTS);
        assertThat(parsed.ok()).isTrue();

        cache.put("hello", TREE_A, parsed);
        ParseResult back =
                new ParsedManifestCache(tmp, "1.0").get("hello", TREE_A).orElseThrow();

        assertThat(back.manifests()).isEqualTo(parsed.manifests());
        assertThat(back.manifests())
                .extracting(Manifest::location)
                .containsExactly("app/all.yaml:1", "app/all.yaml:26");
        Map<String, Object> spec = spec(back.manifests().get(0));
        // the number types decide what is sent to the API server (3 not 3.0): they must survive the file
        assertThat(spec.get("replicas")).isInstanceOf(Integer.class).isEqualTo(3);
        assertThat(spec.get("revisionHistoryLimit")).isInstanceOf(Integer.class).isEqualTo(3);
        assertThat(spec.get("progressDeadlineSeconds")).isInstanceOf(Long.class).isEqualTo(4_000_000_000L);
        assertThat(spec.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(spec.get("ratio")).isEqualTo(0.25);
        assertThat(spec.get("minReadySeconds")).isEqualTo(-2);
        assertThat(spec).containsEntry("strategy", null).containsEntry("paused", false);
        assertThat(spec.keySet())
                .containsExactlyElementsOf(spec(parsed.manifests().get(0)).keySet());
    }

    @Test
    void anotherTreeIsAMiss() {
        ParsedManifestCache cache = new ParsedManifestCache(tmp, "1.0");
        cache.put("hello", TREE_A, parse(OBJECTS));

        assertThat(cache.get("hello", TREE_B)).isEmpty();
        assertThat(cache.get("other-app", TREE_A)).isEmpty();
    }

    @Test
    void anotherLockstepVersionIsAMiss() {
        new ParsedManifestCache(tmp, "1.0").put("hello", TREE_A, parse(OBJECTS));

        assertThat(new ParsedManifestCache(tmp, "1.1").get("hello", TREE_A)).isEmpty();
    }

    @Test
    void aCorruptFileIsAMissAndTheNextParseReplacesIt() throws IOException {
        ParsedManifestCache cache = new ParsedManifestCache(tmp, "1.0");
        ParseResult parsed = parse(OBJECTS);
        cache.put("hello", TREE_A, parsed);
        Path file = onlyFile();
        byte[] bytes = Files.readAllBytes(file);

        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(file, bytes);
        assertThat(cache.get("hello", TREE_A)).isEmpty();

        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        assertThat(cache.get("hello", TREE_A)).isEmpty();

        Files.writeString(file, "not a cache file at all");
        assertThat(cache.get("hello", TREE_A)).isEmpty();

        cache.put("hello", TREE_A, parsed);
        assertThat(cache.get("hello", TREE_A).orElseThrow().manifests()).isEqualTo(parsed.manifests());
    }

    @Test
    void aParseWithErrorsIsNeverKept() {
        ParsedManifestCache cache = new ParsedManifestCache(tmp, "1.0");
        ParseResult broken = parse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n");
        assertThat(broken.ok()).isFalse();

        cache.put("hello", TREE_A, broken);

        assertThat(cache.get("hello", TREE_A)).isEmpty();
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void eachAppKeepsOnlyItsNewestTree() throws IOException {
        ParsedManifestCache cache = new ParsedManifestCache(tmp, "1.0");
        cache.put("hello", TREE_A, parse(OBJECTS));
        cache.put("other", TREE_A, parse(OBJECTS));

        cache.put("hello", TREE_B, parse(OBJECTS));

        assertThat(cache.get("hello", TREE_A)).isEmpty();
        assertThat(cache.get("hello", TREE_B)).isPresent();
        assertThat(cache.get("other", TREE_A)).isPresent();
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files).hasSize(2);
        }
    }

    private Path onlyFile() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.reduce((a, b) -> {
                        throw new AssertionError("more than one file");
                    })
                    .orElseThrow();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Manifest m) {
        return (Map<String, Object>) m.body().get("spec");
    }
}
