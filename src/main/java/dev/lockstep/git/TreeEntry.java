package dev.lockstep.git;

/**
 * One entry of a commit's tree, as git stores it: nothing is checked out or followed.
 *
 * @param path repository-relative, '/'-separated
 * @param id   the git object id (a tree's id changes exactly when something under it changes)
 */
public record TreeEntry(String path, Type type, String id) {
    public enum Type {
        FILE,
        DIRECTORY,
        SYMLINK,
        SUBMODULE
    }
}
