package dev.lockstep.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lockstep.testing.GitHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon killed (SIGKILL) while it moves the cache's branch leaves the ref's lock file behind. The 30-minute soak
 * (issue 25) hit it: every fetch of the restarted daemon failed with LOCK_FAILURE, and it never applied again.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StaleLockTest {
    @TempDir
    Path tmp;

    TestRepo remote;
    GitHttpServer server;
    GitSource source;
    Path lock;

    @BeforeEach
    void start() throws Exception {
        remote = TestRepo.create(tmp.resolve("remote"));
        server = GitHttpServer.start(remote.git.getRepository());
        server.setPassword(GitCredentials.TOKEN_USERNAME, "t0ken");
        Path token = Files.writeString(tmp.resolve("token"), "t0ken\n");
        String url = "http://127.0.0.1:" + server.port() + "/remote.git";
        source = new GitSource(
                new RepoSpec(url, "main", GitCredentials.token(SecretSource.file(token))),
                tmp.resolve("cache"),
                new GitSource.Options(Duration.ofSeconds(5), GitSource.Options.DEFAULT_MAX_READ_BYTES));
        lock = tmp.resolve("cache")
                .resolve(CacheRepository.cacheName(new URIish(url)))
                .resolve("refs/heads/main.lock");
    }

    @AfterEach
    void stop() {
        source.close();
        server.close();
        remote.close();
    }

    @Test
    void aLockLeftByAKilledProcessIsDeletedAndTheFetchMovesTheBranch() throws Exception {
        remote.write("app/config.yaml", "value: v1\n").commit("v1");
        source.fetch();
        Files.writeString(lock, "0000000000000000000000000000000000000000\n");
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofMinutes(1))));
        RevCommit v2 = remote.write("app/config.yaml", "value: v2\n").commit("v2");

        assertThat(source.fetch(v2.name()).commit()).isEqualTo(v2.name());
        assertThat(lock).doesNotExist();
    }

    @Test
    void aFreshLockIsLeftAlone() throws Exception {
        remote.write("app/config.yaml", "value: v1\n").commit("v1");
        source.fetch();
        Files.writeString(lock, "0000000000000000000000000000000000000000\n");
        RevCommit v2 = remote.write("app/config.yaml", "value: v2\n").commit("v2");

        GitSourceException refused = catchThrowableOfType(GitSourceException.class, () -> source.fetch(v2.name()));

        assertThat(refused.getMessage()).contains("LOCK_FAILURE");
        assertThat(lock).exists();
    }
}
