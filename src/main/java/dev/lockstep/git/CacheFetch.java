package dev.lockstep.git;

import dev.lockstep.git.GitSourceException.Kind;
import dev.lockstep.model.Revision;
import java.io.IOException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.TrackingRefUpdate;

/**
 * Brings the cache's branch up to a head learned by {@link RemoteHead}: moved locally when that commit is already in
 * the cache, fetched otherwise (see {@link GitSource#fetch(String)} for what a caller may rely on).
 */
final class CacheFetch {
    private final RepoSpec spec;
    private final CacheRepository cache;
    private final RemoteAccess remote;

    CacheFetch(RepoSpec spec, CacheRepository cache, RemoteAccess remote) {
        this.spec = spec;
        this.cache = cache;
        this.remote = remote;
    }

    /** @param head a full 40-hex commit id; @return the commit the local branch then points at */
    Revision call(String head) throws GitSourceException {
        ObjectId wanted = Commits.id(head);
        Repository repo = cache.open();
        cache.releaseStaleLocks();
        CommandCredentials creds = remote.credentials();
        try {
            if (CacheRepository.hasCommit(repo, wanted)) {
                cache.moveBranch(repo, wanted);
            } else {
                transfer(repo, creds);
            }
            Ref local = repo.exactRef(spec.branchRef());
            if (local == null || local.getObjectId() == null) {
                throw new GitSourceException(
                        Kind.NOT_FOUND, "branch '" + spec.branch() + "' not found at " + spec.displayUrl());
            }
            return Commits.describe(repo, local.getObjectId());
        } catch (IOException | GitAPIException | RuntimeException e) {
            throw ErrorMapper.map("fetch", spec, e, creds.secrets());
        }
    }

    private void transfer(Repository repo, CommandCredentials creds) throws GitAPIException, GitSourceException {
        String ref = spec.branchRef();
        try (Git git = Git.wrap(repo)) { // wrap: closing Git leaves our repository open
            FetchResult result = remote.configure(git.fetch(), creds)
                    .setRemote(spec.url())
                    .setRefSpecs(new RefSpec("+" + ref + ":" + ref)) // forced: follow force-pushes like the remote does
                    .setTagOpt(TagOpt.NO_TAGS)
                    .setCheckFetchedObjects(true) // reject corrupt objects at the door
                    .setRemoveDeletedRefs(false)
                    .call();
            TrackingRefUpdate update = result.getTrackingRefUpdate(ref);
            if (update != null && !CacheRepository.succeeded(update.getResult())) {
                throw new GitSourceException(
                        Kind.IO,
                        "fetch " + spec.displayUrl() + " could not update " + ref + " in " + cache.directory() + ": "
                                + update.getResult());
            }
        }
    }
}
