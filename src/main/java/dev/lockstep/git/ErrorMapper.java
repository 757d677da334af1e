package dev.lockstep.git;

import dev.lockstep.git.GitSourceException.Kind;
import dev.lockstep.util.Causes;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    private static final Pattern UNSUPPORTED_KEY_TYPE =
            Pattern.compile("(?i)unsupported (?:public )?key type \\(([^)]+)\\)");
    private static final Pattern PROVIDER_NOT_SUPPORTED =
            Pattern.compile("(?i)\\b([\\w-]+) provider (?:not supported|N/A)");
    private static final Pattern NEGOTIATION = Pattern.compile("(?i)unable to negotiate (.+)");

    private ErrorMapper() {}

    static GitSourceException map(String action, RepoSpec spec, Throwable error, Collection<String> secrets) {
        if (error instanceof GitSourceException g) {
            return g;
        }
        Kind kind = classify(error);
        String detail = UrlScrubber.scrub(rootMessage(error), secrets);
        String message =
                action + " " + spec.displayUrl() + " failed: " + describe(kind, spec, error) + " (" + detail + ")";
        return new GitSourceException(kind, message, ScrubbedCause.of(error, secrets));
    }

    static Kind classify(Throwable error) {
        String text = allMessages(error);
        if (missingAlgorithm(error).isPresent()) {
            return Kind.UNSUPPORTED_ALGORITHM;
        }
        if (Causes.chain(error).stream().anyMatch(t -> t instanceof CertPathBuilderException)
                || text.contains("unable to find valid certification path")) {
            return Kind.UNTRUSTED_CERTIFICATE;
        }
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

    private static String describe(Kind kind, RepoSpec spec, Throwable error) {
        return switch (kind) {
            case UNSUPPORTED_ALGORITHM ->
                "ssh algorithm not supported: " + missingAlgorithm(error).orElse("unknown")
                        + " (this build has no provider for it; use another key type or report it)";
            case UNTRUSTED_CERTIFICATE ->
                "certificate not trusted for host " + host(spec)
                        + spec.caFile()
                                .map(f -> ": it is signed neither by a CA the system trusts nor by one in repo.caFile "
                                        + f)
                                .orElse(": it is not signed by a CA the system trusts; set repo.caFile to the PEM"
                                        + " file of the CA that signed it");
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

    /**
     * The algorithm sshd could not use, from its own words: "EdDSA provider not supported" (an ed25519 key or host key
     * without an EdDSA provider), "Unsupported key type (ssh-xxx)", "Unable to negotiate key exchange for ...".
     */
    static Optional<String> missingAlgorithm(Throwable error) {
        for (Throwable t : Causes.chain(error)) {
            String message = String.valueOf(t.getMessage());
            Matcher unsupportedKey = UNSUPPORTED_KEY_TYPE.matcher(message);
            if (unsupportedKey.find()) {
                return Optional.of(unsupportedKey.group(1));
            }
            Matcher provider = PROVIDER_NOT_SUPPORTED.matcher(message);
            if (provider.find()) {
                String name = provider.group(1);
                return Optional.of(name.equalsIgnoreCase("EdDSA") ? "EdDSA (ssh-ed25519 keys and host keys)" : name);
            }
            Matcher negotiate = NEGOTIATION.matcher(message);
            if (negotiate.find()) {
                return Optional.of(negotiate.group(1).strip());
            }
        }
        return Optional.empty();
    }

    private static String host(RepoSpec spec) {
        try {
            String host = java.net.URI.create(spec.url()).getHost();
            return host == null ? spec.displayUrl() : host;
        } catch (IllegalArgumentException e) {
            return spec.displayUrl();
        }
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
