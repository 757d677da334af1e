package dev.lockstep.git;

import dev.lockstep.git.GitSourceException.Kind;
import dev.lockstep.util.Causes;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.PackProtocolException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.errors.TransportException;

/**
 * Turns whatever JGit or sshd threw into a {@link GitSourceException} with a kind and a scrubbed message.
 * JGit has few typed transport errors, so auth and host-key failures are recognised by their text; anything
 * unrecognised from the transport counts as UNREACHABLE (retry), anything local as IO.
 */
final class ErrorMapper {

    private ErrorMapper() {}

    static GitSourceException map(String action, RepoSpec spec, Throwable error, Collection<String> secrets) {
        if (error instanceof GitSourceException g) {
            return g;
        }
        Kind kind = classify(error);
        String detail = UrlScrubber.scrub(rootMessage(error), secrets);
        String message = action + " " + spec.displayUrl() + " failed: " + describe(kind, spec) + " (" + detail + ")";
        return new GitSourceException(kind, message, ScrubbedCause.of(error, secrets));
    }

    static Kind classify(Throwable error) {
        String text = allMessages(error);
        if (text.contains("did not validate")
                || text.contains("host key")
                || text.contains("server key")
                || text.contains("known_hosts")) {
            return Kind.HOST_KEY;
        }
        if (text.contains("not authorized")
                || text.contains("authentication")
                || text.contains("auth fail")
                || text.contains("permission denied")
                || text.contains("403 forbidden")) {
            return Kind.AUTH;
        }
        if (text.contains("remote does not have") || text.contains("couldn't find remote ref")) {
            return Kind.NOT_FOUND;
        }
        for (Throwable t : Causes.chain(error)) {
            if (t instanceof NoRemoteRepositoryException
                    || t instanceof UnknownHostException
                    || t instanceof ConnectException
                    || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException) {
                return Kind.UNREACHABLE;
            }
            if (t instanceof MissingObjectException
                    || t instanceof CorruptObjectException
                    || t instanceof PackProtocolException
                    || t instanceof RepositoryNotFoundException) {
                return Kind.CORRUPT;
            }
            if (t instanceof TransportException
                    || t instanceof org.eclipse.jgit.api.errors.TransportException
                    || t instanceof org.eclipse.jgit.api.errors.InvalidRemoteException) {
                return Kind.UNREACHABLE;
            }
        }
        return Kind.IO; // local failure: disk, lock files held by another process
    }

    private static String describe(Kind kind, RepoSpec spec) {
        return switch (kind) {
            case HOST_KEY ->
                "ssh host key not accepted: it is missing from, changed in or revoked by known_hosts "
                        + spec.credentials().knownHosts().map(Object::toString).orElse("(none configured)")
                        + " (strict host key checking)";
            case AUTH -> "authentication refused (check credentials " + spec.credentials() + ")";
            case NOT_FOUND -> "branch '" + spec.branch() + "' not found";
            case UNREACHABLE -> "remote unreachable or not a repository";
            case CORRUPT -> "corrupt repository data";
            default -> "git error";
        };
    }

    private static String allMessages(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t : Causes.chain(error)) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString().toLowerCase(Locale.ROOT);
    }

    /** The error's own message, plus the root cause's when that adds something. */
    private static String rootMessage(Throwable error) {
        Throwable t = Causes.root(error);
        String own = error.getMessage();
        String root = t.getMessage();
        if (t == error || root == null || (own != null && own.contains(root))) {
            return String.valueOf(own);
        }
        return own + ": " + root;
    }
}
