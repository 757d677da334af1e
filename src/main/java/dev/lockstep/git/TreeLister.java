package dev.lockstep.git;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;

/** Lists every entry of a commit's tree, directories included (their ids key render caches), reading no blob. */
final class TreeLister {
    private TreeLister() {}

    static List<TreeEntry> list(ObjectReader reader, RevTree root) throws IOException {
        List<TreeEntry> entries = new ArrayList<>();
        entries.add(new TreeEntry("", TreeEntry.Type.DIRECTORY, root.name()));
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(root);
            walk.setRecursive(false);
            while (walk.next()) {
                int type = walk.getRawMode(0) & FileMode.TYPE_MASK;
                TreeEntry.Type kind = switch (type) {
                    case FileMode.TYPE_TREE -> TreeEntry.Type.DIRECTORY;
                    case FileMode.TYPE_SYMLINK -> TreeEntry.Type.SYMLINK;
                    case FileMode.TYPE_GITLINK -> TreeEntry.Type.SUBMODULE;
                    default -> TreeEntry.Type.FILE;
                };
                entries.add(new TreeEntry(
                        walk.getPathString(), kind, walk.getObjectId(0).name()));
                if (kind == TreeEntry.Type.DIRECTORY) {
                    walk.enterSubtree();
                }
            }
        }
        return entries;
    }
}
