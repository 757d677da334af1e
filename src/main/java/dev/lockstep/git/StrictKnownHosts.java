package dev.lockstep.git;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * Host key check against one known_hosts file, always strict: a host key is accepted only when the file
 * lists exactly that key for the host (plain or hashed entry) and does not mark it {@code @revoked}.
 * Unknown or changed keys are refused; nothing is ever written back and the user is never asked, whatever
 * an ssh config or the credentials provider would say. The file is re-read on each connection so edits
 * apply without a restart. Stateless apart from the path, so safe to share between threads.
 */
final class StrictKnownHosts implements ServerKeyDatabase {

    private static final String REVOKED = "revoked";

    private final Path knownHosts;

    StrictKnownHosts(Path knownHosts) {
        this.knownHosts = knownHosts;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        List<PublicKey> keys = new ArrayList<>();
        for (KnownHostEntry entry : entriesFor(connectAddress, remoteAddress)) {
            if (entry.getMarker() == null) {
                PublicKey key = keyOf(entry);
                if (key != null) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    @Override
    public boolean accept(
            String connectAddress,
            InetSocketAddress remoteAddress,
            PublicKey serverKey,
            Configuration config,
            CredentialsProvider provider) {
        boolean listed = false;
        for (KnownHostEntry entry : entriesFor(connectAddress, remoteAddress)) {
            PublicKey key = keyOf(entry);
            if (key == null || !KeyUtils.compareKeys(key, serverKey)) {
                continue;
            }
            if (REVOKED.equalsIgnoreCase(entry.getMarker())) {
                return false; // a revoked key wins over any other line
            }
            listed |= entry.getMarker() == null; // @cert-authority lines are not supported: ignored
        }
        return listed;
    }

    private List<KnownHostEntry> entriesFor(String connectAddress, InetSocketAddress remoteAddress) {
        List<KnownHostEntry> all;
        try {
            all = Files.isRegularFile(knownHosts) ? KnownHostEntry.readKnownHostEntries(knownHosts) : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of(); // unreadable file: nothing is known, so everything is refused
        }
        Set<HostPort> candidates = candidates(connectAddress, remoteAddress);
        List<KnownHostEntry> matching = new ArrayList<>();
        for (KnownHostEntry entry : all) {
            if (entry == null || entry.getKeyEntry() == null) {
                continue;
            }
            for (HostPort candidate : candidates) {
                if (entry.isHostMatch(candidate.host(), candidate.port())) {
                    matching.add(entry);
                    break;
                }
            }
        }
        return matching;
    }

    /** The name the user wrote in the url, plus the address actually connected to (as OpenSSH checks both). */
    private static Set<HostPort> candidates(String connectAddress, InetSocketAddress remoteAddress) {
        Set<HostPort> result = new LinkedHashSet<>();
        int port = remoteAddress != null ? remoteAddress.getPort() : 22;
        if (connectAddress != null && !connectAddress.isBlank()) {
            result.add(HostPort.parse(connectAddress, port));
        }
        if (remoteAddress != null && remoteAddress.getAddress() != null) {
            result.add(new HostPort(remoteAddress.getAddress().getHostAddress(), port));
        }
        return result;
    }

    private static PublicKey keyOf(KnownHostEntry entry) {
        try {
            return entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return null; // an unparseable line never matches
        }
    }

    private record HostPort(String host, int port) {
        /** Accepts "host", "[host]:port" and "host:port" as JGit may pass either. */
        static HostPort parse(String address, int fallbackPort) {
            String a = address.strip();
            if (a.startsWith("[")) {
                int close = a.indexOf(']');
                if (close > 0) {
                    String host = a.substring(1, close);
                    String rest = a.substring(close + 1);
                    return new HostPort(
                            host, rest.startsWith(":") ? parsePort(rest.substring(1), fallbackPort) : fallbackPort);
                }
            }
            int colon = a.lastIndexOf(':');
            if (colon > 0 && a.indexOf(':') == colon) { // exactly one ':' → host:port, not an IPv6 literal
                return new HostPort(a.substring(0, colon), parsePort(a.substring(colon + 1), fallbackPort));
            }
            return new HostPort(a, fallbackPort);
        }

        private static int parsePort(String s, int fallback) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
    }
}
