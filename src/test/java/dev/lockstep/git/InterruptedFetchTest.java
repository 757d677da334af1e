package dev.lockstep.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lockstep.model.SourceFile;
import dev.lockstep.testing.GitHttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote goes away in the middle of a fetch (its smart-HTTP response is cut off part way through the pack): the
 * cache never shows a half-written commit, keeps serving the last good one, and the next fetch brings the new commit
 * in whole.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InterruptedFetchTest {
    @TempDir
    Path tmp;

    TestRepo remote;
    GitHttpServer server;
    GitSource source;

    @BeforeEach
    void start() throws Exception {
        remote = TestRepo.create(tmp.resolve("remote"));
        server = GitHttpServer.start(remote.git.getRepository());
        server.setPassword(GitCredentials.TOKEN_USERNAME, "t0ken");
        Path token = Files.writeString(tmp.resolve("token"), "t0ken\n");
        source = new GitSource(
                new RepoSpec(
                        "http://127.0.0.1:" + server.port() + "/remote.git",
                        "main",
                        GitCredentials.token(SecretSource.file(token))),
                tmp.resolve("cache"),
                new GitSource.Options(Duration.ofSeconds(5), GitSource.Options.DEFAULT_MAX_READ_BYTES));
    }

    @AfterEach
    void stop() {
        source.close();
        server.close();
        remote.close();
    }

    /** Incompressible content, so the pack is large and the cut lands in its middle. */
    private static String noise(int bytes, long seed) {
        byte[] b = new byte[bytes / 2];
        new Random(seed).nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Test
    void aFetchCutOffMidPackLeavesTheLastGoodCommitAndTheNextFetchIsWhole() throws Exception {
        RevCommit v1 = remote.write("app/config.yaml", "value: v1\n").commit("v1");
        assertThat(source.fetch().commit()).isEqualTo(v1.name());
        String big = noise(2_000_000, 7);
        RevCommit v2 = remote.write("app/config.yaml", "value: v2\n")
                .write("app/big.txt", big)
                .commit("v2 with a large file");

        server.cutUploadsAfter(64 * 1024);
        GitSourceException cut = catchThrowableOfType(GitSourceException.class, () -> source.fetch(v2.name()));

        assertThat(server.cutUploads.get()).as("the pack was cut off part way").isEqualTo(1);
        assertThat(cut.kind()).isEqualTo(GitSourceException.Kind.UNREACHABLE);
        assertThat(catchThrowableOfType(GitSourceException.class, () -> source.readPath(v2.name(), "app"))
                        .kind())
                .as("the half-received commit is not in the cache")
                .isEqualTo(GitSourceException.Kind.NOT_FOUND);
        assertThat(source.revision(v1.name()).commit()).isEqualTo(v1.name());
        assertThat(files(source.readPath(v1.name(), "app").orElseThrow()))
                .as("the last good commit still reads whole")
                .containsExactly("app/config.yaml=value: v1\n");
        try (Stream<Path> packs = Files.list(source.repositoryDirectory().resolve("objects/pack"))) {
            assertThat(packs.map(p -> p.getFileName().toString()))
                    .as("no partial pack left where git would read it (JGit writes to a temp file first)")
                    .allMatch(name -> name.endsWith(".pack")
                            || name.endsWith(".idx")
                            || name.endsWith(".rev")
                            || name.endsWith(".bitmap")
                            || name.endsWith(".keep"));
        }

        server.cutUploadsAfter(-1);
        assertThat(source.fetch(v2.name()).commit()).isEqualTo(v2.name());
        List<SourceFile> app = source.readPath(v2.name(), "app").orElseThrow();
        assertThat(app).extracting(SourceFile::path).containsExactly("app/big.txt", "app/config.yaml");
        assertThat(new String(app.get(0).content(), StandardCharsets.UTF_8))
                .as("the large file, whole")
                .isEqualTo(big);
        assertThat(server.errors).isEmpty();
    }

    private static List<String> files(List<SourceFile> files) {
        return files.stream()
                .map(f -> f.path() + "=" + new String(f.content(), StandardCharsets.UTF_8))
                .toList();
    }
}
