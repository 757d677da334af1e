package dev.lockstep.git;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to authenticate to a remote. Holds only the <em>source</em> of a secret, so {@link #toString()} is
 * safe to log.
 *
 * <ul>
 *   <li>https: {@code username} + {@code secret} as password. A secret without a username is sent with the
 *       username {@value #TOKEN_USERNAME} (GitHub's convention; GitLab and Gitea accept any non-empty
 *       username with a token).</li>
 *   <li>ssh: {@code sshKey} is the private key; {@code knownHosts} is required and checked strictly.
 *       The config loader refuses a {@code secret} beside an ssh key as ambiguous.</li>
 * </ul>
 */
public record GitCredentials(
        Optional<String> username, Optional<SecretSource> secret, Optional<Path> sshKey, Optional<Path> knownHosts) {

    /** Username sent when only a token is configured. */
    public static final String TOKEN_USERNAME = "x-access-token";

    public GitCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(sshKey, "sshKey");
        Objects.requireNonNull(knownHosts, "knownHosts");
    }

    public static GitCredentials none() {
        return new GitCredentials(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A token for https, sent with username {@value #TOKEN_USERNAME}. */
    public static GitCredentials token(SecretSource token) {
        return new GitCredentials(Optional.empty(), Optional.of(token), Optional.empty(), Optional.empty());
    }

    public static GitCredentials usernamePassword(String username, SecretSource password) {
        return new GitCredentials(Optional.of(username), Optional.of(password), Optional.empty(), Optional.empty());
    }

    public static GitCredentials ssh(Path privateKey, Path knownHosts) {
        return new GitCredentials(Optional.empty(), Optional.empty(), Optional.of(privateKey), Optional.of(knownHosts));
    }

    public GitCredentials withSecret(SecretSource source) {
        return new GitCredentials(username, Optional.of(source), sshKey, knownHosts);
    }

    /** The username to send over https, if any credentials are configured at all. */
    Optional<String> effectiveUsername() {
        return username.or(() -> secret.map(s -> TOKEN_USERNAME));
    }

    @Override
    public String toString() {
        // Explicit so that a future component can never leak through the generated toString.
        return "GitCredentials[username=" + username.orElse("-")
                + ", secret=" + secret.map(SecretSource::toString).orElse("-")
                + ", sshKey=" + sshKey.map(Path::toString).orElse("-")
                + ", knownHosts=" + knownHosts.map(Path::toString).orElse("-") + "]";
    }
}
