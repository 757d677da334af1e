package dev.lockstep.render;

import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.git.TreeEntry;
import dev.lockstep.model.SourceFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One commit's tree in the git cache. The listing is read once, on first use, and no blob until a file is asked. */
public final class GitTree implements SourceTree {
    private final GitSource git;
    private final String commit;
    private Map<String, TreeEntry> entries;

    public GitTree(GitSource git, String commit) {
        this.git = git;
        this.commit = commit;
    }

    @Override
    public String label() {
        return "commit " + commit.substring(0, Math.min(7, commit.length()));
    }

    @Override
    public String id() {
        return commit;
    }

    @Override
    public Optional<TreeEntry> entry(String path) throws GitSourceException {
        return Optional.ofNullable(entries().get(path));
    }

    @Override
    public List<TreeEntry> under(String directory) throws GitSourceException {
        String prefix = directory.isEmpty() ? "" : directory + "/";
        return entries().values().stream()
                .filter(e -> !e.path().isEmpty() && e.path().startsWith(prefix))
                .toList();
    }

    @Override
    public Optional<List<SourceFile>> files(String path) throws GitSourceException {
        return git.readPath(commit, path);
    }

    private Map<String, TreeEntry> entries() throws GitSourceException {
        if (entries == null) {
            Map<String, TreeEntry> byPath = new LinkedHashMap<>();
            for (TreeEntry e : git.listTree(commit)) {
                byPath.put(e.path(), e);
            }
            entries = byPath;
        }
        return entries;
    }
}
