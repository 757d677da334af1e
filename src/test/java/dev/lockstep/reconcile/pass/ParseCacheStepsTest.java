package dev.lockstep.reconcile.pass;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.manifest.ManifestLoader;
import dev.lockstep.manifest.ParsedManifestCache;
import dev.lockstep.model.Manifest;
import dev.lockstep.reconcile.engine.PassFixture;
import dev.lockstep.testing.HelloApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted process with the parse cache its predecessor left in {@code cacheDir}: the same manifests, hence the same
 * plan, without reading a file from git or parsing YAML; and the same errors, with file and line, for a bad commit.
 */
class ParseCacheStepsTest {
    @TempDir
    Path tmp;

    private PassFixture f;
    private Path parsedDir;

    @BeforeEach
    void setUp() {
        f = new PassFixture(tmp);
        parsedDir = tmp.resolve("cache-dir/parsed");
    }

    @AfterEach
    void close() {
        f.close();
    }

    /** The steps of a new process over the same git cache and cluster, its loader keeping parses in {@code parsedDir}. */
    private PassSteps process(String version) {
        PassSteps.Shared shared = PassSteps.Shared.of(
                f.shared.cluster(),
                f.shared.writes(),
                new ManifestLoader(new ParsedManifestCache(parsedDir, version)),
                f.shared.renderer(),
                Runnable::run,
                f.shared.clock());
        return PassSteps.of(f.app, new SharedHead(f.git), shared);
    }

    /** Runs a new process's steps up to and including ReadManifests: the pass it hands to the planner. */
    private static StepResult readManifests(PassSteps steps) {
        Pass pass = Pass.start(Pass.Mode.RECONCILE, AppState.initial());
        for (Step step : steps.all()) {
            StepResult result = step.run(pass);
            if (step instanceof ReadManifests || !(result instanceof StepResult.Continue)) {
                return result;
            }
            pass = result.pass();
        }
        throw new AssertionError("no ReadManifests step");
    }

    private static List<Manifest> manifests(StepResult result) {
        assertThat(result).isInstanceOf(StepResult.Continue.class);
        return result.pass().manifests();
    }

    @Test
    void aRestartWithTheCacheReadsNoFileAndGetsTheSameManifests() {
        f.commitApp("hello:v1", "v1");
        List<Manifest> parsed = manifests(readManifests(process("1.0")));

        StepResult restarted = readManifests(process("1.0"));

        assertThat(manifests(restarted)).isEqualTo(parsed).hasSize(3);
        assertThat(restarted.pass().requireRendered().files())
                .as("files read from git")
                .isEmpty();
        assertThat(restarted.pass().parseCache().flatMap(CachedParse::hit)).isPresent();
    }

    @Test
    void aNewTreeIsParsedAgainAndItsChangeIsSeen() {
        f.commitApp("hello:v1", "v1");
        readManifests(process("1.0"));
        f.repo.write("app/config.yaml", HelloApp.configMap("settings", "2"));
        f.repo.commit("settings 2");

        StepResult next = readManifests(process("1.0"));

        assertThat(next.pass().requireRendered().files()).isNotEmpty();
        assertThat(manifests(next))
                .filteredOn(m -> m.key().equals(PassFixture.CONFIG))
                .singleElement()
                .extracting(m -> m.body().get("data"))
                .isEqualTo(java.util.Map.of("value", "2"));
    }

    @Test
    void anotherLockstepVersionParsesAgain() {
        f.commitApp("hello:v1", "v1");
        List<Manifest> parsed = manifests(readManifests(process("1.0")));

        StepResult upgraded = readManifests(process("1.1"));

        assertThat(upgraded.pass().requireRendered().files()).isNotEmpty();
        assertThat(manifests(upgraded)).isEqualTo(parsed);
    }

    @Test
    void aCorruptCacheFileIsIgnoredAndRebuilt() throws IOException {
        f.commitApp("hello:v1", "v1");
        List<Manifest> parsed = manifests(readManifests(process("1.0")));
        Path file = onlyFile();
        Files.writeString(file, "garbage where the parse was");

        StepResult afterCorruption = readManifests(process("1.0"));
        assertThat(manifests(afterCorruption)).isEqualTo(parsed);
        assertThat(afterCorruption.pass().requireRendered().files()).isNotEmpty();

        StepResult rebuilt = readManifests(process("1.0"));
        assertThat(manifests(rebuilt)).isEqualTo(parsed);
        assertThat(rebuilt.pass().requireRendered().files()).isEmpty();
    }

    @Test
    void aBadManifestStallsWithItsFileAndLineOnEveryRestart() {
        f.commitApp("hello:v1", "v1");
        f.repo.write("app/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n");
        String head = f.repo.commit("broken");

        StepResult first = readManifests(process("1.0"));
        StepResult restarted = readManifests(process("1.0"));

        assertThat(first).isInstanceOf(StepResult.Stalled.class);
        List<String> reasons = ((StepResult.Stalled) first).reasons();
        assertThat(reasons)
                .singleElement()
                .asString()
                .startsWith("commit " + head.substring(0, 7) + ": app/broken.yaml:5: invalid YAML");
        assertThat(restarted).isInstanceOf(StepResult.Stalled.class);
        assertThat(((StepResult.Stalled) restarted).reasons()).isEqualTo(reasons);
        assertThat(parsedDir).doesNotExist();
    }

    private Path onlyFile() throws IOException {
        try (Stream<Path> files = Files.list(parsedDir)) {
            return files.reduce((a, b) -> {
                        throw new AssertionError("more than one file");
                    })
                    .orElseThrow();
        }
    }
}
