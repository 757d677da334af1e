package dev.lockstep.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lockstep.testing.GitHttpBackendServer;
import dev.lockstep.testing.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An internal git server with a company CA: git's own {@code git http-backend} behind TLS (a certificate signed by a
 * CA made in the test) and basic auth. {@code repo.caFile} makes that one repository trust the CA, on top of the
 * system's trust and without touching the JVM's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrivateCaHttpsIT {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final String USER = "deployer";

    @TempDir
    Path tmp;

    TestCa ca;
    TestRepo work;
    Path bare;
    GitHttpBackendServer server;
    Path token;

    @BeforeEach
    void start() throws Exception {
        ca = TestCa.create(tmp.resolve("ca"), "acme");
        work = TestRepo.create(tmp.resolve("work"));
        bare = tmp.resolve("served/remote.git");
        Git.init()
                .setBare(true)
                .setInitialBranch("main")
                .setDirectory(bare.toFile())
                .call()
                .close();
        String password = "pw-" + System.nanoTime();
        token = Files.writeString(tmp.resolve("password"), password + "\n");
        server = GitHttpBackendServer.start(bare.getParent(), ca.serverKeyStore(), USER, password);
    }

    @AfterEach
    void stop() {
        server.close();
        work.close();
    }

    @Test
    void fetchesAndPushesWithTheRepositorysCaFile() throws Exception {
        commit("app/deploy.yaml", "image: v1", "v1");
        String v2 = commit("app/deploy.yaml", "image: v2", "v2");

        try (GitSource source = source(Optional.of(ca.caCertificate()))) {
            assertThat(source.fetch().commit()).isEqualTo(v2);
            assertThat(source.readPath(v2, "app").orElseThrow()).hasSize(1);
            String revert = new CommitWriter(source, "Lockstep", "lockstep@example.com", Optional.empty(), CLOCK)
                    .revert(v2, List.of(v2), "Revert \"v2\"\n\nThis reverts commit " + v2 + ".\n")
                    .orElseThrow();

            assertThat(source.push(revert)).isEqualTo(new GitSource.PushOutcome.Pushed(revert));
            assertThat(source.remoteHead()).isEqualTo(revert);
        }
        try (Repository remote = Git.open(bare.toFile()).getRepository()) {
            RevCommit head = remote.parseCommit(remote.resolve("refs/heads/main"));
            assertThat(head.getShortMessage()).isEqualTo("Revert \"v2\"");
            assertThat(head.getParent(0).name()).isEqualTo(v2);
        }
        assertThat(server.requests).anyMatch(r -> r.contains("git-receive-pack"));
        assertThat(server.errors).isEmpty();
    }

    @Test
    void withoutTheCaFileTheCertificateIsNotTrustedAndTheErrorSaysWhatToSet() throws Exception {
        commit("a.yaml", "a", "one");

        try (GitSource source = source(Optional.empty())) {
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::remoteHead);

            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.UNTRUSTED_CERTIFICATE);
            assertThat(e)
                    .hasMessageContaining("certificate not trusted for host 127.0.0.1")
                    .hasMessageContaining("repo.caFile")
                    .hasMessageNotContaining(Files.readString(token).strip());
        }
        assertThat(server.requests).as("nothing got past the TLS handshake").isEmpty();
    }

    @Test
    void anotherCasFileDoesNotMakeTheServerTrusted() throws Exception {
        commit("a.yaml", "a", "one");
        TestCa other = TestCa.create(tmp.resolve("other"), "other");

        try (GitSource source = source(Optional.of(other.caCertificate()))) {
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::fetch);

            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.UNTRUSTED_CERTIFICATE);
            assertThat(e).hasMessageContaining("repo.caFile " + other.caCertificate());
        }
    }

    @Test
    void theCaIsTrustedForThatRepositoryOnlyNotJvmWide() throws Exception {
        String one = commit("a.yaml", "a", "one");
        Path both = Files.writeString(
                tmp.resolve("bundle.pem"),
                Files.readString(TestCa.create(tmp.resolve("other"), "other").caCertificate())
                        + Files.readString(ca.caCertificate()));

        try (GitSource trusting = source(Optional.of(both));
                GitSource plain = new GitSource(
                        new RepoSpec(
                                server.url("remote.git"),
                                "main",
                                GitCredentials.usernamePassword(USER, SecretSource.file(token))),
                        tmp.resolve("plain-cache"))) {
            assertThat(trusting.remoteHead()).as("a bundle of several CAs").isEqualTo(one);

            GitSourceException e = catchThrowableOfType(GitSourceException.class, plain::remoteHead);
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.UNTRUSTED_CERTIFICATE);
        }
    }

    @Test
    void aWrongPasswordIsStillAnAuthenticationError() throws Exception {
        commit("a.yaml", "a", "one");
        Path wrong = Files.writeString(tmp.resolve("wrong"), "not-it\n");

        try (GitSource source = new GitSource(
                new RepoSpec(
                        server.url("remote.git"),
                        "main",
                        GitCredentials.usernamePassword(USER, SecretSource.file(wrong)),
                        Optional.of(ca.caCertificate())),
                tmp.resolve("cache"))) {
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::remoteHead);
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.AUTH);
        }
    }

    private String commit(String path, String content, String message) throws Exception {
        RevCommit c = work.write(path, content).commit(message);
        work.git.push().setRemote(bare.toUri().toString()).add("main").call();
        return c.name();
    }

    private GitSource source(Optional<Path> caFile) {
        return new GitSource(
                new RepoSpec(
                        server.url("remote.git"),
                        "main",
                        GitCredentials.usernamePassword(USER, SecretSource.file(token)),
                        caFile),
                tmp.resolve("cache"));
    }
}
