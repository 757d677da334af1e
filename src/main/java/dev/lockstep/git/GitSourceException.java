package dev.lockstep.git;

/**
 * A git operation failed. The message names the repository with credentials scrubbed and never contains a
 * secret value; any cause attached is a {@link ScrubbedCause} copy, never the raw JGit exception (whose
 * messages may echo a url with userinfo).
 */
public class GitSourceException extends Exception {

    /** What went wrong, so the caller can decide between "retry later" and "stalled until config changes". */
    public enum Kind {
        /** Network error, host down, repository gone or not a repository. Usually transient. */
        UNREACHABLE,
        /** The remote refused the credentials, or none were given. */
        AUTH,
        /** A key, host key or cipher needs an algorithm this build cannot use (the message names it). */
        UNSUPPORTED_ALGORITHM,
        /** The https server's certificate is not signed by a trusted CA (system trust plus {@code repo.caFile}). */
        UNTRUSTED_CERTIFICATE,
        /** The ssh host key is unknown, changed or revoked in the configured known_hosts. */
        HOST_KEY,
        /** The branch does not exist on the remote, or a commit is not in the cache. */
        NOT_FOUND,
        /** The local cache or the received objects are damaged. Deleting the cache directory is safe. */
        CORRUPT,
        /** Reading the path would exceed the configured byte limit. */
        TOO_LARGE,
        /** The configuration cannot work (e.g. ssh url without known_hosts, unreadable secret file). */
        CONFIG,
        /** Any other local I/O failure (disk, locks held by another process). */
        IO
    }

    private final Kind kind;

    public GitSourceException(Kind kind, String message) {
        this(kind, message, null);
    }

    public GitSourceException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
