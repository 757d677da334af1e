package dev.lockstep.git;

import dev.lockstep.model.Revision;
import dev.lockstep.model.SourceFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** Reads commits, trees and first-parent history already in the cache: never the network. */
final class CacheReader {
    private final RepoSpec spec;
    private final CacheRepository cache;
    private final long maxReadBytes;

    CacheReader(RepoSpec spec, CacheRepository cache, long maxReadBytes) {
        this.spec = spec;
        this.cache = cache;
        this.maxReadBytes = maxReadBytes;
    }

    Revision revision(String commit) throws GitSourceException {
        Repository repo = cache.open();
        ObjectId id = cache.presentCommit(repo, commit);
        try {
            return Commits.describe(repo, id);
        } catch (IOException | RuntimeException e) {
            throw ErrorMapper.map("read commit " + commit + " of", spec, e, Set.of());
        }
    }

    /** See {@link GitSource#readPath(String, String)}. */
    Optional<List<SourceFile>> readPath(String commit, String appPath) throws GitSourceException {
        String path = AppPath.normalize(appPath);
        Repository repo = cache.open();
        ObjectId id = cache.presentCommit(repo, commit);
        try (ObjectReader reader = repo.newObjectReader();
                RevWalk walk = new RevWalk(reader)) {
            RevCommit c = walk.parseCommit(id);
            return new TreeReader(reader, maxReadBytes).read(c.getTree(), path, id.name());
        } catch (IOException | RuntimeException e) {
            throw ErrorMapper.map("read '" + path + "' at " + commit + " of", spec, e, Set.of());
        }
    }

    /** See {@link GitSource#listTree(String)}. */
    List<TreeEntry> listTree(String commit) throws GitSourceException {
        Repository repo = cache.open();
        ObjectId id = cache.presentCommit(repo, commit);
        try (ObjectReader reader = repo.newObjectReader();
                RevWalk walk = new RevWalk(reader)) {
            return TreeLister.list(reader, walk.parseCommit(id).getTree());
        } catch (IOException | RuntimeException e) {
            throw ErrorMapper.map("list the tree at " + commit + " of", spec, e, Set.of());
        }
    }

    /** First-parent history from {@code fromCommit}, newest first, at most {@code max} entries. */
    List<Revision> log(String fromCommit, int max) throws GitSourceException {
        if (max <= 0) {
            throw new IllegalArgumentException("max must be positive, was " + max);
        }
        Repository repo = cache.open();
        ObjectId id = cache.presentCommit(repo, fromCommit);
        try (RevWalk walk = new RevWalk(repo)) {
            walk.setFirstParent(true); // must precede markStart
            walk.markStart(walk.parseCommit(id));
            List<Revision> result = new ArrayList<>();
            for (RevCommit c : walk) {
                result.add(Commits.revision(c));
                if (result.size() == max) {
                    break;
                }
            }
            return result;
        } catch (IOException | RuntimeException e) {
            throw ErrorMapper.map("log " + fromCommit + " of", spec, e, Set.of());
        }
    }
}
