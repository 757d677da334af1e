package dev.lockstep.git;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@link GitSource} per repository url, branch, credentials and CA file: apps that follow the same branch with the
 * same credentials share one source, so its cache is fetched once for all of them and its lock orders their fetches.
 * Closing this closes every source it made.
 */
public final class GitSources implements AutoCloseable {
    private final Path cacheDir;
    private final Map<RepoSpec, GitSource> sources = new LinkedHashMap<>();

    public GitSources(Path cacheDir) {
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
    }

    /** The source for {@code spec}, made on first use. */
    public synchronized GitSource of(RepoSpec spec) {
        return sources.computeIfAbsent(spec, s -> new GitSource(s, cacheDir));
    }

    /** How many distinct sources were made. */
    public synchronized int size() {
        return sources.size();
    }

    @Override
    public synchronized void close() {
        List<GitSource> all = new ArrayList<>(sources.values());
        sources.clear();
        all.forEach(GitSource::close);
    }
}
