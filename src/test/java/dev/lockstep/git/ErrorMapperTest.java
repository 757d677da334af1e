package dev.lockstep.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Set;
import org.eclipse.jgit.errors.TransportException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
    private static final RepoSpec SPEC =
            new RepoSpec("https://git.example.com/acme/deploy.git", "main", GitCredentials.none());

    @Test
    void aCyclicCauseChainIsMappedInsteadOfLoopingForever() {
        IllegalStateException a = new IllegalStateException("lock file held");
        IOException b = new IOException("cannot lock");
        a.initCause(b);
        b.initCause(a); // a -> b -> a -> ...

        GitSourceException mapped =
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> ErrorMapper.map("fetch", SPEC, a, Set.of()));

        assertThat(mapped.kind()).isEqualTo(GitSourceException.Kind.IO);
        assertThat(mapped)
                .hasMessage("fetch https://git.example.com/acme/deploy.git failed: git error "
                        + "(lock file held: cannot lock)");
        assertThat(mapped.getCause())
                .hasMessage("java.lang.IllegalStateException: lock file held")
                .cause()
                .hasMessage("java.io.IOException: cannot lock")
                .hasNoCause();
    }

    @Test
    void classificationLooksAtTheWholeChainAndTheMessageAtTheRoot() {
        Exception error = new RuntimeException(
                "fetch failed",
                new TransportException(
                        "https://git.example.com/x.git: cannot open git-upload-pack",
                        new ConnectException("Connection refused")));

        GitSourceException mapped = ErrorMapper.map("fetch", SPEC, error, Set.of());

        assertThat(mapped.kind()).isEqualTo(GitSourceException.Kind.UNREACHABLE);
        assertThat(mapped).hasMessageEndingWith("(fetch failed: Connection refused)");
        assertThat(ErrorMapper.classify(new RuntimeException("x", new IOException("Authentication is required"))))
                .isEqualTo(GitSourceException.Kind.AUTH);
    }

    @Test
    void aMissingSshAlgorithmIsNamedNotReportedAsUnreachable() {
        // what sshd threw for an ed25519 host key before an EdDSA provider was on the classpath
        Exception hostKey = new org.eclipse.jgit.api.errors.TransportException(
                "ssh://git@host/x.git: EdDSA provider not supported",
                new TransportException(
                        "ssh://git@host/x.git: EdDSA provider not supported",
                        new java.security.NoSuchAlgorithmException("EdDSA provider not supported")));
        RepoSpec ssh = new RepoSpec("ssh://git@host/x.git");

        GitSourceException mapped = ErrorMapper.map("ls-remote", ssh, hostKey, Set.of());

        assertThat(mapped.kind()).isEqualTo(GitSourceException.Kind.UNSUPPORTED_ALGORITHM);
        assertThat(mapped)
                .hasMessageContaining("ssh algorithm not supported: EdDSA (ssh-ed25519 keys and host keys)")
                .hasMessageNotContaining("unreachable");
        assertThat(ErrorMapper.missingAlgorithm(
                        new java.security.NoSuchAlgorithmException("Unsupported key type (ssh-ed25519) in /k/id")))
                .contains("ssh-ed25519");
        assertThat(ErrorMapper.missingAlgorithm(new IOException(
                        "Unable to negotiate key exchange for server host key algorithms (client: a / server: b)")))
                .contains("key exchange for server host key algorithms (client: a / server: b)");
        assertThat(ErrorMapper.missingAlgorithm(new IOException("Connection refused")))
                .isEmpty();
    }

    @Test
    void anUntrustedCertificateNamesTheHostAndTheConfigField() {
        Exception error = new TransportException(
                "https://git.example.com/acme/deploy.git: Secure connection could not be established",
                new javax.net.ssl.SSLHandshakeException(
                        "PKIX path building failed: " + "unable to find valid certification path to requested target"));

        GitSourceException mapped = ErrorMapper.map("fetch", SPEC, error, Set.of());

        assertThat(mapped.kind()).isEqualTo(GitSourceException.Kind.UNTRUSTED_CERTIFICATE);
        assertThat(mapped)
                .hasMessageContaining("certificate not trusted for host git.example.com")
                .hasMessageContaining("set repo.caFile");
    }
}
