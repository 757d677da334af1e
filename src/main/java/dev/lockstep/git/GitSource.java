package dev.lockstep.git;

import dev.lockstep.git.GitSourceException.Kind;
import dev.lockstep.model.Revision;
import dev.lockstep.model.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.TrackingRefUpdate;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;

/**
 * One followed repository branch, mirrored into a bare cache repository. The only class here that talks
 * to a remote; everything it returns is a {@link Revision}, {@link SourceFile} or plain value.
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
    private final Path repoDir;
    private final Options options;
    private final boolean ssh;
    private Repository repository;
    private SshdSessionFactory sshFactory;

    public GitSource(RepoSpec spec, Path cacheDir) {
        this(spec, cacheDir, Options.defaults());
    }

    public GitSource(RepoSpec spec, Path cacheDir, Options options) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.options = Objects.requireNonNull(options, "options");
        URIish uri = parse(spec);
        this.repoDir = Objects.requireNonNull(cacheDir, "cacheDir").resolve(cacheName(uri));
        this.ssh = isSsh(uri);
    }

    public RepoSpec spec() {
        return spec;
    }

    /** The bare cache repository for this url. */
    public Path repositoryDirectory() {
        return repoDir;
    }

    /** The remote branch head (40 hex) via ls-remote: one round trip, no objects transferred. */
    public synchronized String remoteHead() throws GitSourceException {
        Credentials creds = credentials();
        try {
            Map<String, Ref> refs = configure(Git.lsRemoteRepository(), creds)
                    .setRemote(spec.url())
                    .setHeads(true)
                    .setTags(false)
                    .callAsMap();
            Ref head = refs.get(spec.branchRef());
            if (head == null || head.getObjectId() == null) {
                throw new GitSourceException(
                        Kind.NOT_FOUND, "branch '" + spec.branch() + "' not found at " + spec.displayUrl());
            }
            return head.getObjectId().name();
        } catch (GitAPIException | RuntimeException e) {
            throw ErrorMapper.map("ls-remote", spec, e, creds.secrets());
        }
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
        ObjectId wanted = commitId(head);
        Repository repo = repository();
        Credentials creds = credentials();
        try {
            if (isCommitInCache(repo, wanted)) {
                moveBranch(repo, wanted);
            } else {
                transfer(repo, creds);
            }
            Ref local = repo.exactRef(spec.branchRef());
            if (local == null || local.getObjectId() == null) {
                throw new GitSourceException(
                        Kind.NOT_FOUND, "branch '" + spec.branch() + "' not found at " + spec.displayUrl());
            }
            return describe(repo, local.getObjectId());
        } catch (IOException | GitAPIException | RuntimeException e) {
            throw ErrorMapper.map("fetch", spec, e, creds.secrets());
        }
    }

    /** Describes a commit already in the cache. */
    public synchronized Revision revision(String commit) throws GitSourceException {
        Repository repo = repository();
        ObjectId id = presentCommit(repo, commit);
        try {
            return describe(repo, id);
        } catch (IOException | RuntimeException e) {
            throw ErrorMapper.map("read commit " + commit + " of", spec, e, Set.of());
        }
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
        String path = AppPath.normalize(appPath);
        Repository repo = repository();
        ObjectId id = presentCommit(repo, commit);
        try (ObjectReader reader = repo.newObjectReader();
                RevWalk walk = new RevWalk(reader)) {
            RevCommit c = walk.parseCommit(id);
            return new TreeReader(reader, options.maxReadBytes()).read(c.getTree(), path, id.name());
        } catch (IOException | RuntimeException e) {
            throw ErrorMapper.map("read '" + path + "' at " + commit + " of", spec, e, Set.of());
        }
    }

    /** The commit named by git's "This reverts commit X." line. A label for humans, not proof of a rollback. */
    public Optional<String> revertedCommit(Revision revision) {
        return RevertMessage.revertedCommit(revision.message());
    }

    /** First-parent history from {@code fromCommit}, newest first, at most {@code max} entries. */
    public synchronized List<Revision> log(String fromCommit, int max) throws GitSourceException {
        if (max <= 0) {
            throw new IllegalArgumentException("max must be positive, was " + max);
        }
        Repository repo = repository();
        ObjectId id = presentCommit(repo, fromCommit);
        try (RevWalk walk = new RevWalk(repo)) {
            walk.setFirstParent(true); // must precede markStart
            walk.markStart(walk.parseCommit(id));
            List<Revision> result = new ArrayList<>();
            for (RevCommit c : walk) {
                result.add(toRevision(c));
                if (result.size() == max) {
                    break;
                }
            }
            return result;
        } catch (IOException | RuntimeException e) {
            throw ErrorMapper.map("log " + fromCommit + " of", spec, e, Set.of());
        }
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
        Repository repo = repository();
        ObjectId id = presentCommit(repo, commit);
        Credentials creds = credentials();
        try (Git git = Git.wrap(repo)) {
            Iterable<PushResult> results = configure(git.push(), creds)
                    .setRemote(spec.url())
                    .setRefSpecs(new RefSpec(id.name() + ":" + spec.branchRef()))
                    .setForce(false)
                    .call();
            for (PushResult result : results) {
                RemoteRefUpdate update = result.getRemoteUpdate(spec.branchRef());
                if (update != null
                        && update.getStatus() != RemoteRefUpdate.Status.OK
                        && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                    return new PushOutcome.Refused(refusal(update, result.getMessages(), creds));
                }
            }
            moveBranch(repo, id);
            return new PushOutcome.Pushed(id.name());
        } catch (IOException | GitAPIException | RuntimeException e) {
            throw ErrorMapper.map("push to", spec, e, creds.secrets());
        }
    }

    private static String refusal(RemoteRefUpdate update, String remoteMessages, Credentials creds) {
        String status = switch (update.getStatus()) {
            case REJECTED_NONFASTFORWARD -> "not a fast-forward: the branch moved since it was fetched";
            case REJECTED_REMOTE_CHANGED -> "the branch changed on the remote during the push";
            case REJECTED_NODELETE -> "the remote refuses deletions";
            case REJECTED_OTHER_REASON -> "refused by the remote";
            default -> update.getStatus().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
        String message = update.getMessage() == null ? "" : ": " + update.getMessage();
        String remote = remoteMessages == null || remoteMessages.isBlank()
                ? ""
                : " (remote says: " + remoteMessages.strip() + ")";
        return UrlScrubber.scrub(status + message + remote, creds.secrets());
    }

    /** Runs {@code action} on the cache repository while holding this source's lock (for the writer beside it). */
    synchronized <T> T withRepository(RepositoryAction<T> action) throws GitSourceException {
        return withRepository("write a commit in", action);
    }

    /** @param what the operation, as errors name it ("verify commits of") */
    synchronized <T> T withRepository(String what, RepositoryAction<T> action) throws GitSourceException {
        Repository repo = repository();
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
        if (repository != null) {
            repository.close();
            repository = null;
        }
        if (sshFactory != null) {
            sshFactory.close();
            sshFactory = null;
        }
    }

    // ---- internals ----

    private void transfer(Repository repo, Credentials creds) throws GitAPIException, GitSourceException {
        String ref = spec.branchRef();
        try (Git git = Git.wrap(repo)) { // wrap: closing Git leaves our repository open
            FetchResult result = configure(git.fetch(), creds)
                    .setRemote(spec.url())
                    .setRefSpecs(new RefSpec("+" + ref + ":" + ref)) // forced: follow force-pushes like the remote does
                    .setTagOpt(TagOpt.NO_TAGS)
                    .setCheckFetchedObjects(true) // reject corrupt objects at the door
                    .setRemoveDeletedRefs(false)
                    .call();
            TrackingRefUpdate update = result.getTrackingRefUpdate(ref);
            if (update != null && !succeeded(update.getResult())) {
                throw new GitSourceException(
                        Kind.IO,
                        "fetch " + spec.displayUrl() + " could not update " + ref + " in " + repoDir + ": "
                                + update.getResult());
            }
        }
    }

    private void moveBranch(Repository repo, ObjectId head) throws IOException, GitSourceException {
        RefUpdate update = repo.updateRef(spec.branchRef());
        update.setNewObjectId(head);
        update.setForceUpdate(true);
        RefUpdate.Result result = update.update();
        if (!succeeded(result)) {
            throw new GitSourceException(
                    Kind.IO, "could not move " + spec.branchRef() + " in " + repoDir + ": " + result);
        }
    }

    private static boolean succeeded(RefUpdate.Result result) {
        return switch (result) {
            case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> true;
            default -> false;
        };
    }

    /** Present and a commit: the branch must never be pointed at a tree or blob that happens to share the id. */
    private static boolean isCommitInCache(Repository repo, ObjectId id) throws IOException {
        if (!repo.getObjectDatabase().has(id)) {
            return false;
        }
        try (ObjectReader reader = repo.newObjectReader()) {
            return reader.open(id).getType() == Constants.OBJ_COMMIT;
        }
    }

    private static ObjectId commitId(String commit) {
        if (commit == null || !ObjectId.isId(commit.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("commit must be a full 40-hex id, was '" + commit + "'");
        }
        return ObjectId.fromString(commit.toLowerCase(Locale.ROOT));
    }

    private ObjectId presentCommit(Repository repo, String commit) throws GitSourceException {
        ObjectId id = commitId(commit);
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

    private static Revision describe(Repository repo, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return toRevision(walk.parseCommit(id));
        }
    }

    private static Revision toRevision(RevCommit c) {
        String message = c.getFullMessage();
        int eol = message.indexOf('\n');
        String subject = (eol < 0 ? message : message.substring(0, eol)).strip();
        // Committer time: when the commit landed, which is what history ordering cares about.
        return new Revision(
                c.name(),
                subject,
                message,
                c.getAuthorIdent().getName(),
                c.getAuthorIdent().getEmailAddress(),
                c.getCommitterIdent().getWhenAsInstant());
    }

    private Repository repository() throws GitSourceException {
        if (repository != null) {
            return repository;
        }
        try {
            Files.createDirectories(repoDir.getParent());
            Repository repo = new FileRepositoryBuilder()
                    .setGitDir(repoDir.toFile())
                    .setBare()
                    .build();
            if (!repo.getObjectDatabase().exists()) {
                repo.create(true);
                StoredConfig config = repo.getConfig();
                config.setBoolean("core", null, "logAllRefUpdates", false); // no reflog: nothing to leak or grow
                config.setString("lockstep", null, "url", spec.displayUrl()); // for humans looking at the cache
                config.save();
            }
            repository = repo;
            return repo;
        } catch (IOException | RuntimeException e) {
            throw new GitSourceException(
                    Kind.CORRUPT,
                    "cannot open cache repository " + repoDir + " for " + spec.displayUrl() + " (deleting it is safe): "
                            + UrlScrubber.scrub(String.valueOf(e.getMessage())),
                    ScrubbedCause.of(e, Set.of()));
        }
    }

    private <C extends TransportCommand<C, ?>> C configure(C command, Credentials creds) throws GitSourceException {
        if (ssh && sshFactory == null) {
            sshFactory = SshSessions.create(spec, repoDir.getParent());
        }
        SshdSessionFactory factory = sshFactory;
        PrivateCaConnections tls = spec.caFile().isPresent()
                ? PrivateCaConnections.load(spec.caFile().get())
                : null;
        return command.setCredentialsProvider(creds.provider())
                .setTimeout((int) Math.max(
                        1, Math.min(Integer.MAX_VALUE, options.timeout().toSeconds())))
                .setTransportConfigCallback(transport -> {
                    if (transport instanceof SshTransport sshTransport) {
                        if (factory == null) {
                            throw new IllegalStateException("ssh transport for a url not recognised as ssh");
                        }
                        sshTransport.setSshSessionFactory(factory); // per command, never the global instance
                    }
                    if (tls != null && transport instanceof TransportHttp http) {
                        http.setHttpConnectionFactory(tls); // this repository's CAs only, never JVM-wide
                    }
                });
    }

    /** Secrets are read per command so a rotated token file takes effect on the next poll. */
    private Credentials credentials() throws GitSourceException {
        GitCredentials c = spec.credentials();
        if (c.secret().isEmpty()) {
            return new Credentials(NoCredentials.INSTANCE, Set.of());
        }
        String secret = c.secret().get().resolve();
        String user = c.effectiveUsername().orElse(GitCredentials.TOKEN_USERNAME);
        return new Credentials(new UsernamePasswordCredentialsProvider(user, secret), Set.of(secret));
    }

    private record Credentials(CredentialsProvider provider, Set<String> secrets) {
        @Override
        public String toString() {
            return "Credentials[***]";
        }
    }

    /** Answers no question, so JGit never falls back to a global default provider or prompts. */
    static final class NoCredentials extends CredentialsProvider {
        static final NoCredentials INSTANCE = new NoCredentials();

        @Override
        public boolean isInteractive() {
            return false;
        }

        @Override
        public boolean supports(CredentialItem... items) {
            return false;
        }

        @Override
        public boolean get(URIish uri, CredentialItem... items) {
            return false;
        }
    }

    private static URIish parse(RepoSpec spec) {
        try {
            return new URIish(spec.url());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("invalid repository url " + spec.displayUrl());
        }
    }

    private static boolean isSsh(URIish uri) {
        String scheme = uri.getScheme();
        if (scheme == null) {
            return uri.getHost() != null; // scp-like "git@host:org/repo.git"
        }
        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "ssh", "ssh+git", "git+ssh" -> true;
            default -> false;
        };
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
