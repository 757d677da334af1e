package dev.lockstep.git;

import dev.lockstep.git.GitSourceException.Kind;
import dev.lockstep.model.SourceFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads the blobs under a path of a commit's tree, straight from git objects. Nothing is checked out, so
 * a symlink is just a blob with mode 120000 and is skipped, never followed; submodules (gitlinks) are
 * skipped too; a symlinked directory on the way to the path makes the path "missing".
 */
final class TreeReader {

    private final ObjectReader reader;
    private final long maxBytes;

    TreeReader(ObjectReader reader, long maxBytes) {
        this.reader = reader;
        this.maxBytes = maxBytes;
    }

    /** @param path normalized (see {@link AppPath}); "" is the root */
    Optional<List<SourceFile>> read(RevTree root, String path, String commit) throws IOException, GitSourceException {
        if (path.isEmpty()) {
            return Optional.of(readTree(root, ""));
        }
        try (TreeWalk at = TreeWalk.forPath(reader, path, root)) {
            if (at == null) {
                return Optional.empty();
            }
            int type = at.getRawMode(0) & FileMode.TYPE_MASK;
            ObjectId id = at.getObjectId(0);
            if (type == FileMode.TYPE_TREE) {
                return Optional.of(readTree(id, path + "/"));
            }
            if (type == FileMode.TYPE_FILE) {
                List<SourceFile> one = new ArrayList<>(1);
                new Budget().add(one, path, id);
                return Optional.of(one);
            }
            throw new GitSourceException(
                    Kind.NOT_FOUND,
                    "path '" + path + "' at " + commit + " is a "
                            + (type == FileMode.TYPE_SYMLINK ? "symlink" : "submodule") + "; it is not followed");
        }
    }

    private List<SourceFile> readTree(ObjectId tree, String prefix) throws IOException, GitSourceException {
        List<SourceFile> files = new ArrayList<>();
        Budget budget = new Budget();
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(true); // descends real trees only; symlinks and gitlinks arrive as leaf entries
            while (walk.next()) {
                // TYPE_FILE covers 100644 and 100755; TYPE_SYMLINK (120000) and TYPE_GITLINK (160000) are skipped.
                if ((walk.getRawMode(0) & FileMode.TYPE_MASK) == FileMode.TYPE_FILE) {
                    budget.add(files, prefix + walk.getPathString(), walk.getObjectId(0));
                }
            }
        }
        return files;
    }

    /** Checks sizes from the object header before loading, so an oversized blob is never read into memory. */
    private final class Budget {
        private long used;

        void add(List<SourceFile> files, String path, ObjectId blob) throws IOException, GitSourceException {
            ObjectLoader loader = reader.open(blob, Constants.OBJ_BLOB);
            long size = loader.getSize();
            if (size > maxBytes - used) {
                throw new GitSourceException(
                        Kind.TOO_LARGE,
                        "reading '" + path + "' (" + size + " bytes) would exceed the limit of " + maxBytes
                                + " bytes for one app path (" + used + " bytes read so far)");
            }
            used += size;
            files.add(new SourceFile(path, loader.getBytes()));
        }
    }
}
