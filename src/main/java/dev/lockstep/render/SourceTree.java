package dev.lockstep.render;

import dev.lockstep.git.GitSourceException;
import dev.lockstep.git.TreeEntry;
import dev.lockstep.model.SourceFile;
import java.util.List;
import java.util.Optional;

/**
 * The files a render reads: one commit's tree, or a directory on disk for {@code lockstep validate}. Paths are
 * repository-relative and '/'-separated; nothing is followed through a symlink.
 */
public interface SourceTree {
    /** {@code commit 1a2b3c4} or a directory, for messages. */
    String label();

    /** The key renders are cached under, with the object ids of what they read. */
    String id();

    /** The entry at exactly this path, if any; a path through a symlinked directory has none. */
    Optional<TreeEntry> entry(String path) throws GitSourceException;

    /** Every entry under a directory (recursive), directories included; empty when there is no such directory. */
    List<TreeEntry> under(String directory) throws GitSourceException;

    /** The regular files under a path (recursive), or the file itself; empty when the path does not exist. */
    Optional<List<SourceFile>> files(String path) throws GitSourceException;

    /**
     * Whether files read from this tree may hold decrypted secrets. A render then copies them only to a private
     * temporary directory (mode 0700, files 0600) outside {@code cacheDir}, removed when the render ends.
     */
    default boolean holdsSecrets() {
        return false;
    }
}
