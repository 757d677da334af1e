package dev.lockstep.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockstep.model.Revision;
import dev.lockstep.testing.OpenSshServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keys as people have them, against Debian's real OpenSSH server: {@code ssh-keygen}'s ed25519 (its default), ECDSA and
 * RSA keys, as client keys and as host keys, for fetch and for write-back's push. Host keys are checked strictly and a
 * key the server does not take says so.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenSshGitSourceIT {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    OpenSshServer server;
    TestRepo work;
    Path bare;

    @BeforeAll
    static void needsOpenSsh() {
        assumeTrue(
                OpenSshServer.available(),
                "skipped: " + OpenSshServer.SSHD + " or ssh-keygen missing (apt-get install openssh-server)");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (work != null) {
            work.close();
        }
    }

    static Stream<Arguments> keyTypes() {
        return Stream.of(
                Arguments.of("ed25519", "ed25519"),
                Arguments.of("ecdsa", "ecdsa"),
                Arguments.of("rsa", "rsa"),
                Arguments.of("ed25519", "rsa"),
                Arguments.of("rsa", "ed25519"));
    }

    @ParameterizedTest(name = "client key {0}, host key {1}")
    @MethodSource("keyTypes")
    void fetchesAndPushesARevertWithTheseKeys(String clientType, String hostType) throws Exception {
        start(hostType);
        String v1 = commit("app/deploy.yaml", "image: v1", "v1");
        String v2 = commit("app/deploy.yaml", "image: v2", "v2");
        Path key = server.authorizedKey(clientType, "id_" + clientType);

        try (GitSource source = source(key, server.knownHosts())) {
            assertThat(source.remoteHead()).isEqualTo(v2);
            Revision head = source.fetch();
            assertThat(head.commit()).isEqualTo(v2);
            assertThat(source.readPath(v2, "app").orElseThrow()).hasSize(1);

            String revert = new CommitWriter(source, "Lockstep", "lockstep@example.com", Optional.empty(), CLOCK)
                    .revert(v2, List.of(v2), "Revert \"v2\"\n\nThis reverts commit " + v2 + ".\n")
                    .orElseThrow();
            assertThat(source.push(revert)).isEqualTo(new GitSource.PushOutcome.Pushed(revert));
        }
        try (Repository remote = Git.open(bare.toFile()).getRepository()) {
            assertThat(remote.resolve("refs/heads/main").name())
                    .as("the bare repository's main")
                    .isNotEqualTo(v2);
            RevCommit pushed = remote.parseCommit(remote.resolve("refs/heads/main"));
            assertThat(pushed.getParent(0).name()).isEqualTo(v2);
            assertThat(pushed.getTree().name())
                    .isEqualTo(remote.parseCommit(remote.resolve(v1)).getTree().name());
        }
    }

    @Test
    void anUnknownHostKeyIsRefused() throws Exception {
        start("ed25519");
        commit("a.yaml", "a", "one");
        Path key = server.authorizedKey("ed25519", "id_ed25519");
        Path empty = Files.writeString(tmp.resolve("known_hosts-empty"), "# nothing known\n");

        try (GitSource source = source(key, empty)) {
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::remoteHead);
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.HOST_KEY);
            assertThat(e).hasMessageContaining("ssh host key not accepted").hasMessageContaining(empty.toString());
        }
        assertThat(Files.readString(empty)).as("nothing learned").isEqualTo("# nothing known\n");
    }

    @ParameterizedTest(name = "host key {0}")
    @MethodSource("hostKeyTypes")
    void aChangedHostKeyIsRefused(String hostType) throws Exception {
        start(hostType);
        commit("a.yaml", "a", "one");
        Path key = server.authorizedKey("ed25519", "id_ed25519");

        try (GitSource source = source(key, server.knownHostsWithAnotherKey(hostType))) {
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::fetch);
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.HOST_KEY);
            assertThat(e).hasMessageContaining("127.0.0.1:" + server.port());
            assertThat(source.repositoryDirectory()).doesNotExist();
        }
    }

    static Stream<String> hostKeyTypes() {
        return Stream.of("ed25519", "ecdsa", "rsa");
    }

    @Test
    void aKeyTheServerDoesNotAcceptSaysSo() throws Exception {
        start("ed25519");
        commit("a.yaml", "a", "one");
        server.authorizedKey("ed25519", "id_ed25519");
        Path stranger = server.unknownKey("ed25519", "id_stranger");

        try (GitSource source = source(stranger, server.knownHosts())) {
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::remoteHead);
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.AUTH);
            assertThat(e).hasMessageContaining("authentication refused").hasMessageContaining(stranger.toString());
        }
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(server.log()).contains("Failed publickey for"));
    }

    @Test
    void theShadedJarAloneTalksEd25519() throws Exception {
        Path jar = Path.of("target", "lockstep.jar"); // built in the package phase, before the ITs
        assertThat(jar).exists();
        start("ed25519");
        String v1 = commit("a.yaml", "a", "one");
        Path key = server.authorizedKey("ed25519", "id_ed25519");
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process probe = new ProcessBuilder(
                        javaBin.toString(),
                        "-cp",
                        jar + File.pathSeparator + Path.of("target", "test-classes"),
                        ShadedJarProbe.class.getName(),
                        server.url(bare),
                        key.toString(),
                        server.knownHosts().toString(),
                        tmp.resolve("jar-cache").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(probe.exitValue()).as(out).isZero();
        assertThat(out)
                .as("ls-remote with an ed25519 key and host key, Bouncy Castle from the jar")
                .contains("head " + v1)
                .containsPattern("bouncycastle from file:/+"
                        + Pattern.quote(jar.toAbsolutePath().toString().replaceFirst("^/", "")) + "\\R");
    }

    private void start(String hostKeyType) throws Exception {
        server = OpenSshServer.start(tmp.resolve("sshd"), hostKeyType);
        work = TestRepo.create(tmp.resolve("work"));
        bare = tmp.resolve("remote.git");
    }

    /** Commits in the working repository and publishes it to the bare one the server serves. */
    private String commit(String path, String content, String message) throws Exception {
        RevCommit c = work.write(path, content).commit(message);
        if (!Files.exists(bare)) {
            Git.init()
                    .setBare(true)
                    .setInitialBranch("main")
                    .setDirectory(bare.toFile())
                    .call()
                    .close();
        }
        work.git.push().setRemote(bare.toUri().toString()).add("main").call();
        return c.name();
    }

    private GitSource source(Path key, Path knownHosts) {
        return new GitSource(
                new RepoSpec(server.url(bare), "main", GitCredentials.ssh(key, knownHosts)), tmp.resolve("cache"));
    }
}
