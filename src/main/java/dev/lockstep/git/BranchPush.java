package dev.lockstep.git;

import dev.lockstep.git.GitSource.PushOutcome;
import java.io.IOException;
import java.util.Locale;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/** Pushes a commit of the cache to the followed branch as a fast-forward, never forced. */
final class BranchPush {
    private final RepoSpec spec;
    private final CacheRepository cache;
    private final RemoteAccess remote;

    BranchPush(RepoSpec spec, CacheRepository cache, RemoteAccess remote) {
        this.spec = spec;
        this.cache = cache;
        this.remote = remote;
    }

    /** See {@link GitSource#push(String)}. */
    PushOutcome call(String commit) throws GitSourceException {
        Repository repo = cache.open();
        ObjectId id = cache.presentCommit(repo, commit);
        CommandCredentials creds = remote.credentials();
        try (Git git = Git.wrap(repo)) {
            Iterable<PushResult> results = remote.configure(git.push(), creds)
                    .setRemote(spec.url())
                    .setRefSpecs(new RefSpec(id.name() + ":" + spec.branchRef()))
                    .setForce(false)
                    .call();
            for (PushResult result : results) {
                RemoteRefUpdate update = result.getRemoteUpdate(spec.branchRef());
                if (update != null
                        && update.getStatus() != RemoteRefUpdate.Status.OK
                        && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                    return new PushOutcome.Refused(refusal(update, result.getMessages(), creds));
                }
            }
            cache.moveBranch(repo, id);
            return new PushOutcome.Pushed(id.name());
        } catch (IOException | GitAPIException | RuntimeException e) {
            throw ErrorMapper.map("push to", spec, e, creds.secrets());
        }
    }

    private static String refusal(RemoteRefUpdate update, String remoteMessages, CommandCredentials creds) {
        String status = switch (update.getStatus()) {
            case REJECTED_NONFASTFORWARD -> "not a fast-forward: the branch moved since it was fetched";
            case REJECTED_REMOTE_CHANGED -> "the branch changed on the remote during the push";
            case REJECTED_NODELETE -> "the remote refuses deletions";
            case REJECTED_OTHER_REASON -> "refused by the remote";
            default -> update.getStatus().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
        String message = update.getMessage() == null ? "" : ": " + update.getMessage();
        String remoteSays = remoteMessages == null || remoteMessages.isBlank()
                ? ""
                : " (remote says: " + remoteMessages.strip() + ")";
        return UrlScrubber.scrub(status + message + remoteSays, creds.secrets());
    }
}
