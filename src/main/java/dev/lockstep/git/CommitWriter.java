package dev.lockstep.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.errors.CanceledException;
import org.eclipse.jgit.api.errors.UnsupportedSigningFormatException;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.lib.Signers;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ThreeWayMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes Lockstep's own commits into the cache repository of a {@link GitSource}, without a work tree: a real
 * {@code git revert} (the same three-way merge git makes), or a file restored as it was at an older commit. Pushing
 * them is {@link GitSource#push}'s job. Commits are signed in git's SSH signature format when a key is given.
 */
public final class CommitWriter {
    private final GitSource source;
    private final String authorName;
    private final String authorEmail;
    private final Optional<Path> signingKey;
    private final Clock clock;

    public CommitWriter(
            GitSource source, String authorName, String authorEmail, Optional<Path> signingKey, Clock clock) {
        this.source = source;
        this.authorName = authorName;
        this.authorEmail = authorEmail;
        this.signingKey = signingKey;
        this.clock = clock;
    }

    /**
     * One commit on {@code onto} that reverts {@code commits}, newest first, each as {@code git revert} would (base: the
     * commit, ours: the tree so far, theirs: its parent). Empty when any of them does not apply cleanly or is a merge.
     */
    public Optional<String> revert(String onto, List<String> commits, String message) throws GitSourceException {
        return source.withRepository(repo -> {
            try (RevWalk walk = new RevWalk(repo);
                    ObjectInserter inserter = repo.newObjectInserter()) {
                RevCommit head = walk.parseCommit(ObjectId.fromString(onto));
                ObjectId tree = head.getTree();
                for (String sha : commits) {
                    RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
                    if (commit.getParentCount() != 1) {
                        return Optional.empty();
                    }
                    RevCommit parent = walk.parseCommit(commit.getParent(0));
                    ThreeWayMerger merger =
                            (ThreeWayMerger) MergeStrategy.RECURSIVE.newMerger(inserter, repo.getConfig());
                    merger.setBase(commit.getTree());
                    if (!merger.merge(tree, parent.getTree())) {
                        return Optional.empty();
                    }
                    tree = merger.getResultTreeId();
                }
                return Optional.of(commit(repo, inserter, head, tree, message));
            }
        });
    }

    /** One commit on {@code onto} with {@code path} as it was at {@code from} (removed if it did not exist there). */
    public String restore(String onto, String from, String path, String message) throws GitSourceException {
        return source.withRepository(repo -> {
            try (RevWalk walk = new RevWalk(repo);
                    ObjectInserter inserter = repo.newObjectInserter();
                    ObjectReader reader = repo.newObjectReader()) {
                RevCommit head = walk.parseCommit(ObjectId.fromString(onto));
                RevCommit old = walk.parseCommit(ObjectId.fromString(from));
                DirCache index = DirCache.newInCore();
                DirCacheBuilder builder = index.builder();
                builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, head.getTree());
                builder.finish();
                DirCacheEditor editor = index.editor();
                try (TreeWalk then = TreeWalk.forPath(reader, path, old.getTree())) {
                    if (then == null) {
                        editor.add(new DirCacheEditor.DeletePath(path));
                    } else {
                        ObjectId blob = then.getObjectId(0);
                        FileMode mode = then.getFileMode(0);
                        editor.add(new DirCacheEditor.PathEdit(path) {
                            @Override
                            public void apply(DirCacheEntry entry) {
                                entry.setFileMode(mode);
                                entry.setObjectId(blob);
                            }
                        });
                    }
                }
                editor.finish();
                return commit(repo, inserter, head, index.writeTree(inserter), message);
            }
        });
    }

    /** What {@code to} changes against {@code from}, as {@code git diff} shows it. */
    public String diff(String from, String to) throws GitSourceException {
        return source.withRepository(repo -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (RevWalk walk = new RevWalk(repo);
                    DiffFormatter formatter = new DiffFormatter(out)) {
                formatter.setRepository(repo);
                formatter.format(
                        walk.parseCommit(ObjectId.fromString(from)).getTree(),
                        walk.parseCommit(ObjectId.fromString(to)).getTree());
            }
            return out.toString(StandardCharsets.UTF_8);
        });
    }

    private String commit(Repository repo, ObjectInserter inserter, RevCommit parent, ObjectId tree, String message)
            throws IOException {
        PersonIdent ident = new PersonIdent(authorName, authorEmail, clock.instant(), ZoneOffset.UTC);
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        commit.setParentId(parent);
        commit.setAuthor(ident);
        commit.setCommitter(ident);
        commit.setMessage(message);
        if (signingKey.isPresent()) {
            sign(repo, commit, ident, signingKey.get());
        }
        ObjectId id = inserter.insert(commit);
        inserter.flush();
        return id.name();
    }

    /** git's SSH signature ({@code gpg.format=ssh}), made by JGit's SSH signer with the key file itself. */
    private static void sign(Repository repo, CommitBuilder commit, PersonIdent ident, Path key) throws IOException {
        Config config = new Config();
        config.setString("gpg", null, "format", "ssh");
        config.setString("user", null, "signingKey", key.toString());
        Signer signer = Signers.get(GpgConfig.GpgFormat.SSH);
        if (signer == null) {
            throw new IOException("SSH commit signing is not available (org.eclipse.jgit.ssh.apache missing)");
        }
        try {
            signer.signObject(repo, new GpgConfig(config), commit, ident, key.toString(), NoCredentials.INSTANCE);
        } catch (CanceledException | UnsupportedSigningFormatException e) {
            throw new IOException("cannot sign with " + key + ": " + e.getMessage(), e);
        }
    }
}
