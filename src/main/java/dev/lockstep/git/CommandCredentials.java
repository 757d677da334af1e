package dev.lockstep.git;

import java.util.Set;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The credentials of one transport command, and the secrets every message about it must be scrubbed of.
 *
 * @param secrets the values {@link ErrorMapper} and {@link UrlScrubber} remove from anything they report
 */
record CommandCredentials(CredentialsProvider provider, Set<String> secrets) {

    /** Read per command, never kept in the repository config, so a rotated token file takes effect on the next poll. */
    static CommandCredentials resolve(RepoSpec spec) throws GitSourceException {
        GitCredentials c = spec.credentials();
        if (c.secret().isEmpty()) {
            return new CommandCredentials(NoCredentials.INSTANCE, Set.of());
        }
        String secret = c.secret().get().resolve();
        String user = c.effectiveUsername().orElse(GitCredentials.TOKEN_USERNAME);
        return new CommandCredentials(new UsernamePasswordCredentialsProvider(user, secret), Set.of(secret));
    }

    @Override
    public String toString() {
        return "CommandCredentials[***]";
    }
}
