package dev.lockstep.git;

import dev.lockstep.git.GitSourceException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.URIish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bare cache repository of one url: where it lives ({@code <cacheDir>/<name>-<hash>.git}, see {@link GitSource}),
 * opening or creating it on first use, and the two questions every operation asks of it: is this commit here, and move
 * the followed branch to it. Used under the owning {@link GitSource}'s lock only.
 */
final class CacheRepository implements AutoCloseable {
    /**
     * A ref lock file older than this was left by a process killed while it updated the ref: a live update holds it for
     * milliseconds. JGit never removes such a file, and refuses every later update of the ref (LOCK_FAILURE).
     */
    static final Duration STALE_LOCK = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(CacheRepository.class);
    private final RepoSpec spec;
    private final Path directory;
    private final Clock clock;
    private Repository repository;

    CacheRepository(RepoSpec spec, Path cacheDir, URIish uri) {
        this(spec, cacheDir, uri, Clock.systemUTC());
    }

    CacheRepository(RepoSpec spec, Path cacheDir, URIish uri, Clock clock) {
        this.spec = spec;
        this.directory = cacheDir.resolve(cacheName(uri));
        this.clock = clock;
    }

    /**
     * Deletes the followed branch's lock file and {@code packed-refs.lock} when older than {@link #STALE_LOCK}: the
     * soak's SIGKILL of a daemon in the middle of a fetch left {@code refs/heads/main.lock}, and every fetch of the
     * restarted daemon failed with LOCK_FAILURE until the cache was deleted by hand.
     */
    void releaseStaleLocks() {
        for (Path lock :
                List.of(directory.resolve(spec.branchRef() + ".lock"), directory.resolve("packed-refs.lock"))) {
            try {
                Instant modified = Files.getLastModifiedTime(lock).toInstant();
                if (modified.plus(STALE_LOCK).isBefore(clock.instant()) && Files.deleteIfExists(lock)) {
                    log.warn(
                            "deleted {}, left by a process that stopped while it updated a ref (at {})",
                            lock,
                            modified);
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // no lock: the usual case
            } catch (IOException e) {
                log.warn("cannot check the lock file {}: {}", lock, e.toString());
            }
        }
    }

    Path directory() {
        return directory;
    }

    /** The repository, opened (and created, the first time) on first use and kept open until {@link #close()}. */
    Repository open() throws GitSourceException {
        if (repository != null) {
            return repository;
        }
        try {
            Files.createDirectories(directory.getParent());
            Repository repo = new FileRepositoryBuilder()
                    .setGitDir(directory.toFile())
                    .setBare()
                    .build();
            if (!repo.getObjectDatabase().exists()) {
                try {
                    repo.create(true);
                    StoredConfig config = repo.getConfig();
                    config.setBoolean("core", null, "logAllRefUpdates", false); // no reflog: nothing to leak or grow
                    config.setString("lockstep", null, "url", spec.displayUrl()); // for humans looking at the cache
                    config.save();
                } catch (IOException | RuntimeException e) {
                    repo.close(); // a failed creation is tried afresh at the next open: keep no file handles meanwhile
                    throw e;
                }
            }
            repository = repo;
            return repo;
        } catch (IOException | RuntimeException e) {
            throw new GitSourceException(
                    Kind.CORRUPT,
                    "cannot open cache repository " + directory + " for " + spec.displayUrl()
                            + " (deleting it is safe): " + UrlScrubber.scrub(String.valueOf(e.getMessage())),
                    ScrubbedCause.of(e, Set.of()));
        }
    }

    /** The id of {@code commit}, which must already be in the cache: reads never reach the network. */
    ObjectId presentCommit(Repository repo, String commit) throws GitSourceException {
        ObjectId id = Commits.id(commit);
        try {
            if (!repo.getObjectDatabase().has(id)) {
                throw new GitSourceException(
                        Kind.NOT_FOUND,
                        "commit " + id.name() + " is not in the cache of " + spec.displayUrl() + " (fetch first)");
            }
        } catch (IOException e) {
            throw ErrorMapper.map("look up " + commit + " in", spec, e, Set.of());
        }
        return id;
    }

    /** Present and a commit: the branch must never be pointed at a tree or blob that happens to share the id. */
    static boolean hasCommit(Repository repo, ObjectId id) throws IOException {
        if (!repo.getObjectDatabase().has(id)) {
            return false;
        }
        try (ObjectReader reader = repo.newObjectReader()) {
            return reader.open(id).getType() == Constants.OBJ_COMMIT;
        }
    }

    /** Points the followed branch at {@code head}, forced: the cache follows the remote, force-pushes included. */
    void moveBranch(Repository repo, ObjectId head) throws IOException, GitSourceException {
        RefUpdate update = repo.updateRef(spec.branchRef());
        update.setNewObjectId(head);
        update.setForceUpdate(true);
        RefUpdate.Result result = update.update();
        if (!succeeded(result)) {
            throw new GitSourceException(
                    Kind.IO, "could not move " + spec.branchRef() + " in " + directory + ": " + result);
        }
    }

    static boolean succeeded(RefUpdate.Result result) {
        return switch (result) {
            case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> true;
            default -> false;
        };
    }

    @Override
    public void close() {
        if (repository != null) {
            repository.close();
            repository = null;
        }
    }

    /** "<last path segment>-<16 hex of sha256(url without userinfo)>.git" */
    static String cacheName(URIish uri) {
        String identity = uri.setUser(null).setPass(null).toString();
        String name;
        try {
            name = uri.getHumanishName();
        } catch (IllegalArgumentException e) {
            name = ""; // e.g. a url without a path: the hash alone identifies it
        }
        name = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (name.isEmpty() || name.startsWith(".")) {
            name = "repo";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return name + "-" + HexFormat.of().formatHex(digest, 0, 8) + ".git";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
