package dev.lockstep.daemon;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * This replica's name in the leader Lease. In a cluster the pod name; elsewhere the host name plus a random suffix, so
 * two daemons on one machine never share an identity (both would believe they hold the Lease).
 */
public final class Identity {
    private Identity() {}

    /**
     * @param explicit {@code --identity}, when given
     * @param env      the process environment ({@code POD_NAME})
     */
    public static String of(Optional<String> explicit, Map<String, String> env, RandomGenerator random) {
        if (explicit.isPresent() && !explicit.get().isBlank()) {
            return explicit.get().strip();
        }
        String pod = env.get("POD_NAME");
        if (pod != null && !pod.isBlank()) {
            return pod.strip();
        }
        byte[] suffix = new byte[4];
        random.nextBytes(suffix);
        return hostName(env) + "-" + HexFormat.of().formatHex(suffix);
    }

    private static String hostName(Map<String, String> env) {
        String host = env.get("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
        }
        return host.strip();
    }
}
