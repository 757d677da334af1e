package dev.lockstep.git;

import dev.lockstep.git.GitSourceException.Kind;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Ref;

/** ls-remote of the followed branch: one round trip, no objects transferred. */
final class RemoteHead {
    private final RepoSpec spec;
    private final RemoteAccess remote;

    RemoteHead(RepoSpec spec, RemoteAccess remote) {
        this.spec = spec;
        this.remote = remote;
    }

    /** The remote branch head, 40 hex. */
    String call() throws GitSourceException {
        CommandCredentials creds = remote.credentials();
        try {
            Map<String, Ref> refs = remote.configure(Git.lsRemoteRepository(), creds)
                    .setRemote(spec.url())
                    .setHeads(true)
                    .setTags(false)
                    .callAsMap();
            Ref head = refs.get(spec.branchRef());
            if (head == null || head.getObjectId() == null) {
                throw new GitSourceException(
                        Kind.NOT_FOUND, "branch '" + spec.branch() + "' not found at " + spec.displayUrl());
            }
            return head.getObjectId().name();
        } catch (GitAPIException | RuntimeException e) {
            throw ErrorMapper.map("ls-remote", spec, e, creds.secrets());
        }
    }
}
