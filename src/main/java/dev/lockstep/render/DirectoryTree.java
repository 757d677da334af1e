package dev.lockstep.render;

import dev.lockstep.git.GitSourceException;
import dev.lockstep.git.TreeEntry;
import dev.lockstep.model.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory on disk read like a commit's tree ({@code lockstep validate} of a working copy): symlinks are listed as
 * such and never followed, and paths are relative to {@code root}, the working copy's top.
 */
public final class DirectoryTree implements SourceTree {
    private final Path root;

    public DirectoryTree(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The top of the git working copy that holds {@code path}, or the path's own directory outside one. */
    public static Path workingCopyOf(Path path) {
        Path start = path.toAbsolutePath().normalize();
        Path dir = Files.isDirectory(start) ? start : start.getParent();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) {
                return p;
            }
        }
        return dir;
    }

    public Path root() {
        return root;
    }

    /** {@code path} as this tree names it: relative to the root, '/'-separated. */
    public String relative(Path path) {
        return root.relativize(path.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    @Override
    public String label() {
        return root.toString();
    }

    @Override
    public String id() {
        return "dir:" + root;
    }

    @Override
    public Optional<TreeEntry> entry(String path) throws GitSourceException {
        Path p = resolve(path);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) || throughSymlink(path)) {
            return Optional.empty();
        }
        return Optional.of(entryOf(p));
    }

    @Override
    public List<TreeEntry> under(String directory) throws GitSourceException {
        Path dir = resolve(directory);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || throughSymlink(directory)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) { // Files.walk does not follow links by default
            return walk.filter(p -> !p.equals(dir)).map(this::entryOf).toList();
        } catch (IOException e) {
            throw new GitSourceException(GitSourceException.Kind.IO, "cannot read " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public Optional<List<SourceFile>> files(String path) throws GitSourceException {
        Optional<TreeEntry> at = entry(path);
        if (at.isEmpty()) {
            return Optional.empty();
        }
        List<TreeEntry> entries = at.get().type() == TreeEntry.Type.DIRECTORY ? under(path) : List.of(at.get());
        List<SourceFile> files = new ArrayList<>();
        for (TreeEntry e : entries) {
            if (e.type() == TreeEntry.Type.FILE) {
                try {
                    files.add(new SourceFile(e.path(), Files.readAllBytes(resolve(e.path()))));
                } catch (IOException ex) {
                    throw new GitSourceException(
                            GitSourceException.Kind.IO, "cannot read " + e.path() + ": " + ex.getMessage());
                }
            }
        }
        return Optional.of(files);
    }

    private TreeEntry entryOf(Path p) {
        TreeEntry.Type type = Files.isSymbolicLink(p)
                ? TreeEntry.Type.SYMLINK
                : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? TreeEntry.Type.DIRECTORY : TreeEntry.Type.FILE;
        return new TreeEntry(relative(p), type, "");
    }

    private Path resolve(String path) {
        return path.isEmpty() ? root : root.resolve(path);
    }

    private boolean throughSymlink(String path) {
        Path p = root;
        String[] segments = path.isEmpty() ? new String[0] : path.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            p = p.resolve(segments[i]);
            if (Files.isSymbolicLink(p)) {
                return true;
            }
        }
        return false;
    }
}
