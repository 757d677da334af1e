package dev.lockstep.git;

import dev.lockstep.git.GitSourceException.Kind;
import dev.lockstep.model.Revision;
import dev.lockstep.model.SourceFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.URIish;

/**
 * One followed repository branch, mirrored into a bare cache repository. The only way the rest of the product
 * reaches a remote (through the operation classes listed under Parts); everything it returns is a {@link Revision},
 * {@link SourceFile} or plain value.
 *
 * <p><b>Cache layout.</b> The bare repository lives at {@code <cacheDir>/<name>-<hash>.git}, where hash is
 * the first 16 hex digits of SHA-256 of the url <em>without</em> userinfo (rotating a token keeps the cache)
 * and name is the url's last path segment for humans. Two sources on the same url share that directory:
 * branches are fetched into their own {@code refs/heads/<branch>} and objects are shared. The cache is
 * disposable: deleting it only costs a full fetch.
 *
 * <p><b>Threads.</b> All public methods are synchronized, so one instance may be shared by several apps.
 * Two instances (or processes) on the same directory are safe for reads; concurrent fetches may fail with
 * a lock error ({@link Kind#IO}, retry), never corrupt the cache, because JGit writes packs and refs
 * through lock files and atomic renames.
 *
 * <p><b>Credentials</b> are resolved per command and never stored in the repository config; fetches go to
 * the url directly rather than a configured remote. JGit's global defaults (CredentialsProvider.getDefault,
 * SshSessionFactory.getInstance) are never used.
 *
 * <p><b>Parts.</b> This class is the facade the rest of the product uses, and the lock. Each operation is its own
 * class, as JGit has one command object per call: {@link RemoteHead} (ls-remote), {@link CacheFetch} (fetch into the
 * cache), {@link CacheReader} (commits, trees, log) and {@link BranchPush} (push); {@link CacheRepository} owns the
 * cache layout and {@link RemoteAccess} the credentials, ssh and TLS wiring of every transport command.
 */
public final class GitSource implements AutoCloseable {

    /** Tunables with sensible defaults. */
    public record Options(Duration timeout, long maxReadBytes) {
        public static final long DEFAULT_MAX_READ_BYTES = 64L * 1024 * 1024;

        public Options {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            if (maxReadBytes <= 0) {
                throw new IllegalArgumentException("maxReadBytes must be positive");
            }
        }

        public static Options defaults() {
            return new Options(Duration.ofSeconds(60), DEFAULT_MAX_READ_BYTES);
        }
    }

    private final RepoSpec spec;
    private final CacheRepository cache;
    private final RemoteAccess remote;
    private final RemoteHead remoteHead;
    private final CacheFetch fetch;
    private final CacheReader reader;
    private final BranchPush push;

    public GitSource(RepoSpec spec, Path cacheDir) {
        this(spec, cacheDir, Options.defaults());
    }

    public GitSource(RepoSpec spec, Path cacheDir, Options options) {
        this.spec = Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        URIish uri = parse(spec);
        this.cache = new CacheRepository(spec, Objects.requireNonNull(cacheDir, "cacheDir"), uri);
        this.remote = new RemoteAccess(spec, uri, cacheDir, options.timeout());
        this.remoteHead = new RemoteHead(spec, remote);
        this.fetch = new CacheFetch(spec, cache, remote);
        this.reader = new CacheReader(spec, cache, options.maxReadBytes());
        this.push = new BranchPush(spec, cache, remote);
    }

    public RepoSpec spec() {
        return spec;
    }

    /** The bare cache repository for this url. */
    public Path repositoryDirectory() {
        return cache.directory();
    }

    /** The remote branch head (40 hex) via ls-remote: one round trip, no objects transferred. */
    public synchronized String remoteHead() throws GitSourceException {
        return remoteHead.call();
    }

    /**
     * Brings the cache up to the remote branch head and describes it: {@code fetch(remoteHead())}. A caller that has
     * just called {@link #remoteHead()} itself should use {@link #fetch(String)} and save the second ls-remote.
     */
    public synchronized Revision fetch() throws GitSourceException {
        return fetch(remoteHead());
    }

    /**
     * Brings the cache up to {@code head}, the branch head the caller already learned from {@link #remoteHead()},
     * without asking the remote for it again, and describes the commit the local branch then points at.
     *
     * <p>When {@code head} is a commit already in the cache (a force-push back to a known commit, or another source
     * on the same url fetched it) the local branch is just moved to it: no network at all. Otherwise the branch is
     * fetched, and that fetch reads the remote's branch head itself: if someone pushed between the ls-remote and
     * this call, the result is the newer commit that was actually fetched, not {@code head}. Callers must use the
     * returned {@link Revision#commit()} rather than assume it equals {@code head}.
     *
     * @param head a full 40-hex commit id
     * @throws IllegalArgumentException if head is not a full commit id
     */
    public synchronized Revision fetch(String head) throws GitSourceException {
        return fetch.call(head);
    }

    /** Describes a commit already in the cache. */
    public synchronized Revision revision(String commit) throws GitSourceException {
        return reader.revision(commit);
    }

    /**
     * Every regular file under {@code appPath} (recursive) in the commit's tree, with repository-relative
     * paths. Empty when the path does not exist at that commit, so the caller can refuse to prune.
     *
     * @param appPath "", "." or "/" for the root; leading "./" or "/" and a trailing "/" are ignored
     * @throws IllegalArgumentException if appPath contains ".." or is otherwise not inside the repository
     * @throws GitSourceException TOO_LARGE above {@link Options#maxReadBytes()}; NOT_FOUND if the commit is
     *         not in the cache or appPath itself is a symlink or submodule
     */
    public synchronized Optional<List<SourceFile>> readPath(String commit, String appPath) throws GitSourceException {
        return reader.readPath(commit, appPath);
    }

    /**
     * Every entry of the commit's tree (files, directories, symlinks, submodules) with its object id, no content read:
     * what a renderer needs to find its inputs, refuse symlinks and know when they changed.
     */
    public synchronized List<TreeEntry> listTree(String commit) throws GitSourceException {
        return reader.listTree(commit);
    }

    /** The commit named by git's "This reverts commit X." line. A label for humans, not proof of a rollback. */
    public Optional<String> revertedCommit(Revision revision) {
        return RevertMessage.revertedCommit(revision.message());
    }

    /** First-parent history from {@code fromCommit}, newest first, at most {@code max} entries. */
    public synchronized List<Revision> log(String fromCommit, int max) throws GitSourceException {
        return reader.log(fromCommit, max);
    }

    /** How a push ended: the remote took the commit, or refused it (and why, in the remote's words). */
    public sealed interface PushOutcome {
        record Pushed(String commit) implements PushOutcome {}

        record Refused(String reason) implements PushOutcome {}
    }

    /**
     * Pushes {@code commit} (already in the cache) to the followed branch as a fast-forward. Never forced: a refusal
     * (not a fast-forward, a protected branch, a hook) comes back as {@link PushOutcome.Refused}, and the caller
     * fetches and decides again. On success the cache's branch moves to the commit.
     */
    public synchronized PushOutcome push(String commit) throws GitSourceException {
        return push.call(commit);
    }

    /** Runs {@code action} on the cache repository while holding this source's lock (for the writer beside it). */
    synchronized <T> T withRepository(RepositoryAction<T> action) throws GitSourceException {
        return withRepository("write a commit in", action);
    }

    /** @param what the operation, as errors name it ("verify commits of") */
    synchronized <T> T withRepository(String what, RepositoryAction<T> action) throws GitSourceException {
        Repository repo = cache.open();
        try {
            return action.apply(repo);
        } catch (IOException | RuntimeException e) {
            throw ErrorMapper.map(what, spec, e, Set.of());
        }
    }

    @FunctionalInterface
    interface RepositoryAction<T> {
        T apply(Repository repository) throws IOException, GitSourceException;
    }

    @Override
    public synchronized void close() {
        cache.close();
        remote.close();
    }

    private static URIish parse(RepoSpec spec) {
        try {
            return new URIish(spec.url());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("invalid repository url " + spec.displayUrl());
        }
    }
}
