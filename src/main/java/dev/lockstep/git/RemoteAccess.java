package dev.lockstep.git;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;

/**
 * How every transport command of one repository reaches the remote: its credentials, its own ssh session factory and
 * private CAs, and the timeout. JGit's global defaults (CredentialsProvider.getDefault, SshSessionFactory.getInstance,
 * the JVM's trust store) are never used. Used under the owning {@link GitSource}'s lock only.
 */
final class RemoteAccess implements AutoCloseable {
    private final RepoSpec spec;
    private final Path sshDir;
    private final Duration timeout;
    private final boolean ssh;
    private SshdSessionFactory sshFactory;

    /** @param sshDir where the ssh client may keep its state: the cache directory, never the user's ~/.ssh */
    RemoteAccess(RepoSpec spec, URIish uri, Path sshDir, Duration timeout) {
        this.spec = spec;
        this.sshDir = sshDir;
        this.timeout = timeout;
        this.ssh = isSsh(uri);
    }

    /** Secrets are read per command so a rotated token file takes effect on the next poll. */
    CommandCredentials credentials() throws GitSourceException {
        return CommandCredentials.resolve(spec);
    }

    <C extends TransportCommand<C, ?>> C configure(C command, CommandCredentials creds) throws GitSourceException {
        if (ssh && sshFactory == null) {
            sshFactory = SshSessions.create(spec, sshDir);
        }
        SshdSessionFactory factory = sshFactory;
        PrivateCaConnections tls = spec.caFile().isPresent()
                ? PrivateCaConnections.load(spec.caFile().get())
                : null;
        return command.setCredentialsProvider(creds.provider())
                .setTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds())))
                .setTransportConfigCallback(transport -> {
                    if (transport instanceof SshTransport sshTransport) {
                        if (factory == null) {
                            throw new IllegalStateException("ssh transport for a url not recognised as ssh");
                        }
                        sshTransport.setSshSessionFactory(factory); // per command, never the global instance
                    }
                    if (tls != null && transport instanceof TransportHttp http) {
                        http.setHttpConnectionFactory(tls); // this repository's CAs only, never JVM-wide
                    }
                });
    }

    @Override
    public void close() {
        if (sshFactory != null) {
            sshFactory.close();
            sshFactory = null;
        }
    }

    private static boolean isSsh(URIish uri) {
        String scheme = uri.getScheme();
        if (scheme == null) {
            return uri.getHost() != null; // scp-like "git@host:org/repo.git"
        }
        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "ssh", "ssh+git", "git+ssh" -> true;
            default -> false;
        };
    }
}
