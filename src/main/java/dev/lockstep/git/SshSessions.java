package dev.lockstep.git;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Builds the ssh session factory for one repository: only the configured private key, only the configured
 * known_hosts (strict), no ssh agent, no ~/.ssh/config and no ~/.ssh keys of the user running the daemon.
 * Installed per command through a TransportConfigCallback; JGit's global SshSessionFactory is never touched.
 */
final class SshSessions {

    private SshSessions() {}

    static SshdSessionFactory create(RepoSpec spec, Path workDir) throws GitSourceException {
        GitCredentials credentials = spec.credentials();
        Path key = credentials
                .sshKey()
                .orElseThrow(() -> new GitSourceException(
                        GitSourceException.Kind.CONFIG,
                        "ssh url " + spec.displayUrl() + " needs an ssh private key (credentials.sshKey)"));
        Path knownHosts = credentials
                .knownHosts()
                .orElseThrow(
                        () -> new GitSourceException(
                                GitSourceException.Kind.CONFIG,
                                "ssh url " + spec.displayUrl()
                                        + " needs a known_hosts file (credentials.knownHosts); host keys are checked strictly"));
        if (!Files.isReadable(key)) {
            throw new GitSourceException(GitSourceException.Kind.CONFIG, "ssh private key " + key + " is not readable");
        }
        if (!Files.isRegularFile(knownHosts)) {
            throw new GitSourceException(
                    GitSourceException.Kind.CONFIG, "known_hosts file " + knownHosts + " does not exist");
        }
        return new SshdSessionFactoryBuilder()
                .setHomeDirectory(workDir.toFile())
                .setSshDirectory(workDir.toFile())
                .setConfigStoreFactory((home, configFile, localUser) -> null) // ignore any ssh config file
                .setDefaultIdentities(sshDir -> List.of(key))
                .setDefaultKnownHostsFiles(sshDir -> List.of(knownHosts))
                .setServerKeyDatabase((home, sshDir) -> new StrictKnownHosts(knownHosts))
                .setPreferredAuthentications("publickey")
                .build(null);
    }
}
