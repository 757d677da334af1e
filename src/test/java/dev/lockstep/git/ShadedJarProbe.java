package dev.lockstep.git;

import java.nio.file.Path;

/**
 * Run in a JVM of its own with {@code target/lockstep.jar} first on the class path: prints the remote head of an ssh
 * repository, or the error's kind and message (exit 1). A JVM of its own, because the JCA provider list is JVM-wide:
 * next to the test class path's Bouncy Castle, the jar's copy would not be the one found.
 */
public final class ShadedJarProbe {
    private ShadedJarProbe() {}

    /** @param args url, private key file, known_hosts file, cache directory */
    public static void main(String[] args) {
        RepoSpec spec = new RepoSpec(args[0], "main", GitCredentials.ssh(Path.of(args[1]), Path.of(args[2])));
        try (GitSource source = new GitSource(spec, Path.of(args[3]))) {
            System.out.println("head " + source.remoteHead());
            System.out.println("bouncycastle from "
                    + org.bouncycastle.jce.provider.BouncyCastleProvider.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation());
        } catch (GitSourceException e) {
            System.out.println(e.kind() + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
