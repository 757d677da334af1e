package dev.lockstep.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import dev.lockstep.model.Revision;
import dev.lockstep.model.SourceFile;
import dev.lockstep.testing.GitHttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials over http(s), end to end: a real HTTP server on loopback (the JDK's own
 * {@code com.sun.net.httpserver}) requiring basic auth and speaking git's smart-HTTP protocol with JGit's
 * {@link UploadPack}, and {@link GitSource} talking to it through JGit's real http transport.
 *
 * <p>Plain http, because what is under test is the credentials, not TLS: JGit sends the same
 * Authorization header either way.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS) // a prompt or a retry loop must fail the test, not hang the build
class HttpsGitSourceTest {

    @TempDir
    Path tmp;

    TestRepo remote;
    GitHttpServer server;
    String url;

    @BeforeEach
    void startServer() throws Exception {
        remote = TestRepo.create(tmp.resolve("remote"));
        server = GitHttpServer.start(remote.git.getRepository());
        url = "http://127.0.0.1:" + server.port() + "/remote.git";
    }

    @AfterEach
    void stopServer() {
        server.close();
        remote.close();
        assertThat(server.errors).as("errors inside the test server").isEmpty();
    }

    private static String newSecret(String label) {
        return label + "-" + UUID.randomUUID();
    }

    private Path secretFile(String name, String value) throws IOException {
        return Files.writeString(tmp.resolve(name), value + "\n", StandardCharsets.UTF_8);
    }

    private GitSource source(GitCredentials credentials) {
        return new GitSource(
                new RepoSpec(url, "main", credentials),
                tmp.resolve("cache"),
                new GitSource.Options(Duration.ofSeconds(5), GitSource.Options.DEFAULT_MAX_READ_BYTES));
    }

    @Test
    void aTokenFromAFileIsSentAsPasswordOfTheConventionalUser() throws Exception {
        String token = newSecret("tok");
        server.setPassword(GitCredentials.TOKEN_USERNAME, token);
        RevCommit c = remote.write("app/deploy.yaml", "image: v1")
                .write("other/x.yaml", "x")
                .commit("v1");

        try (GitSource source = source(GitCredentials.token(SecretSource.file(secretFile("token", token))))) {
            assertThat(source.remoteHead()).isEqualTo(c.name());
            Revision r = source.fetch();
            assertThat(r.commit()).isEqualTo(c.name());
            assertThat(r.subject()).isEqualTo("v1");
            assertThat(source.readPath(r.commit(), "app").orElseThrow())
                    .extracting(SourceFile::path, f -> new String(f.content(), StandardCharsets.UTF_8))
                    .containsExactly(tuple("app/deploy.yaml", "image: v1"));
        }
        assertThat(server.acceptedUsers).isNotEmpty().containsOnly(GitCredentials.TOKEN_USERNAME);
        assertThat(server.uploads).as("fetch transferred a pack over http").isEqualTo(1);
    }

    @Test
    void theTokenIsNeverStoredInTheCacheRepository() throws Exception {
        String token = newSecret("tok");
        server.setPassword(GitCredentials.TOKEN_USERNAME, token);
        remote.write("app/deploy.yaml", "image: v1").commit("v1");

        Path repoDir;
        try (GitSource source = source(GitCredentials.token(SecretSource.file(secretFile("token", token))))) {
            source.fetch();
            repoDir = source.repositoryDirectory();
        }

        assertThat(repoDir.resolve("config")).exists().content().doesNotContain(token);
        try (var files = Files.walk(tmp.resolve("cache"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content;
                try {
                    content = Files.readAllBytes(file);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // a lock file of JGit's background gc (gc.log.lock), gone between listing and reading
                }
                assertThat(new String(content, StandardCharsets.ISO_8859_1))
                        .as(file.toString())
                        .doesNotContain(token);
            }
        }
    }

    @Test
    void aUsernameAndPasswordFromAFileWork() throws Exception {
        String password = newSecret("pw");
        server.setPassword("alice", password);
        RevCommit c = remote.write("deploy.yaml", "image: v2").commit("v2");

        try (GitSource source =
                source(GitCredentials.usernamePassword("alice", SecretSource.file(secretFile("pw", password))))) {
            assertThat(source.remoteHead()).isEqualTo(c.name());
            Revision r = source.fetch();
            assertThat(source.readPath(r.commit(), ".").orElseThrow())
                    .extracting(SourceFile::path, f -> new String(f.content(), StandardCharsets.UTF_8))
                    .containsExactly(tuple("deploy.yaml", "image: v2"));
        }
        assertThat(server.acceptedUsers).isNotEmpty().containsOnly("alice");
    }

    @Test
    void aWrongTokenIsAnAuthErrorThatNeverShowsEitherToken() throws Exception {
        String good = newSecret("good");
        String wrong = newSecret("wrong");
        server.setPassword(GitCredentials.TOKEN_USERNAME, good);
        remote.write("a.yaml", "a").commit("one");
        Path tokenFile = secretFile("token", wrong);

        try (GitSource source = source(GitCredentials.token(SecretSource.file(tokenFile)))) {
            GitSourceException ls = catchThrowableOfType(GitSourceException.class, source::remoteHead);
            GitSourceException fetch = catchThrowableOfType(GitSourceException.class, source::fetch);
            for (GitSourceException e : List.of(ls, fetch)) {
                assertThat(e.kind()).isEqualTo(GitSourceException.Kind.AUTH);
                assertThat(e)
                        .hasMessageContaining(url)
                        .hasMessageContaining("authentication refused")
                        .hasMessageContaining("file:" + tokenFile);
                assertNoSecret(e, wrong, good);
                assertNoSecret(
                        e, basic(GitCredentials.TOKEN_USERNAME, wrong), basic(GitCredentials.TOKEN_USERNAME, good));
            }
            assertThat(source.repositoryDirectory().resolve("refs/heads/main")).doesNotExist();
        }
        assertThat(server.acceptedUsers).isEmpty();
        assertThat(server.rejected).contains(GitCredentials.TOKEN_USERNAME);
    }

    @Test
    void noCredentialsAgainstAProtectedRepositoryIsAnAuthErrorWithoutPrompting() throws Exception {
        String token = newSecret("tok");
        server.setPassword(GitCredentials.TOKEN_USERNAME, token);
        remote.write("a.yaml", "a").commit("one");

        long start = System.nanoTime();
        try (GitSource source = source(GitCredentials.none())) {
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::remoteHead);
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.AUTH);
            assertThat(e).hasMessageContaining(url).hasMessageContaining("authentication refused");
            assertNoSecret(e, token);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(server.acceptedUsers).isEmpty();
        assertThat(server.rejected).as("no username was ever offered").isEmpty();
    }

    @Test
    void theTokenFileIsReadAgainOnEveryCall() throws Exception {
        String first = newSecret("first");
        String second = newSecret("second");
        server.setPassword(GitCredentials.TOKEN_USERNAME, first);
        RevCommit c1 = remote.write("app/deploy.yaml", "image: v1").commit("v1");
        Path tokenFile = secretFile("token", first);

        try (GitSource source = source(GitCredentials.token(SecretSource.file(tokenFile)))) {
            assertThat(source.fetch().commit()).isEqualTo(c1.name());

            // the server rotates the token; the file still holds the old one
            server.setPassword(GitCredentials.TOKEN_USERNAME, second);
            RevCommit c2 = remote.write("app/deploy.yaml", "image: v2").commit("v2");
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::fetch);
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.AUTH);
            assertNoSecret(e, first, second);

            // the mounted secret is updated: the same instance picks it up, no restart
            Files.writeString(tokenFile, second + "\n", StandardCharsets.UTF_8);
            assertThat(source.remoteHead()).isEqualTo(c2.name());
            Revision r = source.fetch();
            assertThat(r.commit()).isEqualTo(c2.name());
            assertThat(source.readPath(r.commit(), "app").orElseThrow())
                    .extracting(f -> new String(f.content(), StandardCharsets.UTF_8))
                    .containsExactly("image: v2");
        }
    }

    @Test
    void fetchOfAKnownHeadSkipsTheSecondLsRemote() throws Exception {
        String token = newSecret("tok");
        server.setPassword(GitCredentials.TOKEN_USERNAME, token);
        remote.write("app/deploy.yaml", "image: v1").commit("v1");

        try (GitSource source = source(GitCredentials.token(SecretSource.file(secretFile("token", token))))) {
            source.fetch(); // warm cache: what follows are incremental fetches, as in the daemon

            // before: the reconciler's ls-remote, then fetch() asks the remote for the head again
            RevCommit c2 = remote.write("app/deploy.yaml", "image: v2").commit("v2");
            server.resetCounts();
            String head2 = source.remoteHead();
            assertThat(source.fetch().commit()).isEqualTo(c2.name()).isEqualTo(head2);
            int before = server.advertisements.get();
            assertThat(server.uploads).isEqualTo(1);

            // now: the head the reconciler already has is handed to fetch(head)
            RevCommit c3 = remote.write("app/deploy.yaml", "image: v3").commit("v3");
            server.resetCounts();
            String head3 = source.remoteHead();
            assertThat(server.advertisements.get()).as("the ls-remote").isEqualTo(1);
            Revision r = source.fetch(head3);
            assertThat(r.commit()).isEqualTo(c3.name());
            assertThat(server.uploads).as("one pack transferred").isEqualTo(1);
            assertThat(server.advertisements.get())
                    .as("the ls-remote plus the one advertisement the fetch transfer itself opens with")
                    .isEqualTo(2)
                    .isEqualTo(before - 1);
            assertThat(source.readPath(r.commit(), "app").orElseThrow())
                    .extracting(f -> new String(f.content(), StandardCharsets.UTF_8))
                    .containsExactly("image: v3");
        }
    }

    @Test
    void fetchOfAHeadAlreadyInTheCacheMakesNoRequestAtAll() throws Exception {
        String token = newSecret("tok");
        server.setPassword(GitCredentials.TOKEN_USERNAME, token);
        RevCommit c1 = remote.write("app/deploy.yaml", "image: v1").commit("v1");
        remote.write("app/deploy.yaml", "image: v2").commit("v2");

        try (GitSource source = source(GitCredentials.token(SecretSource.file(secretFile("token", token))))) {
            source.fetch(); // cache holds v1 and v2, branch at v2
            remote.git
                    .reset()
                    .setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD)
                    .setRef(c1.name())
                    .call(); // force-push back
            String head = source.remoteHead();
            assertThat(head).isEqualTo(c1.name());

            server.resetCounts();
            Revision r = source.fetch(head);

            assertThat(r.commit()).isEqualTo(c1.name());
            assertThat(server.requests)
                    .as("requests of any kind, authenticated or not")
                    .isEmpty();
            assertThat(source.readPath(r.commit(), "app").orElseThrow())
                    .extracting(f -> new String(f.content(), StandardCharsets.UTF_8))
                    .containsExactly("image: v1");
        }
    }

    /** Neither the value nor anything derived from it in any message, toString or printed stack trace. */
    private static void assertNoSecret(Throwable error, String... secrets) {
        List<String> texts = new ArrayList<>();
        int depth = 0;
        for (Throwable t = error; t != null && depth < 32; t = t.getCause(), depth++) {
            texts.add(String.valueOf(t.getMessage()));
            texts.add(t.toString());
        }
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        texts.add(trace.toString());
        for (String text : texts) {
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    private static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
