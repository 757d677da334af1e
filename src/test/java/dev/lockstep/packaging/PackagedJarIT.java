package dev.lockstep.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar users run ({@code target/lockstep.jar}, built in the package phase, before the ITs) carries JGit's
 * signature verifiers: their {@code META-INF/services} entries are merged, not overwritten by whichever jar came last.
 * Without that, {@code SignatureVerifiers.verify} returns null for the missing format in production only.
 */
class PackagedJarIT {
    private static final Path JAR = Path.of("target", "lockstep.jar");
    private static final String FACTORIES = "META-INF/services/org.eclipse.jgit.lib.SignatureVerifierFactory";

    @Test
    void theServicesFileListsTheSshAndOpenPgpVerifiers() throws Exception {
        assertThat(JAR).exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            var entry = jar.getEntry(FACTORIES);
            assertThat(entry).as(FACTORIES).isNotNull();
            String services = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(services)
                    .contains("org.eclipse.jgit.signing.ssh.SshSignatureVerifierFactory")
                    .contains("org.eclipse.jgit.gpg.bc.internal.BouncyCastleGpgSignatureVerifierFactory");
        }
    }

    @Test
    void jgitFindsTheSshVerifierWithNothingButTheJarOnTheClassPath() throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader onlyTheJar =
                new URLClassLoader(new URL[] {JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(onlyTheJar); // ServiceLoader.load uses it
            Class<?> formats = onlyTheJar.loadClass("org.eclipse.jgit.lib.GpgConfig$GpgFormat");
            Class<?> verifiers = onlyTheJar.loadClass("org.eclipse.jgit.lib.SignatureVerifiers");
            assertThat(verifiers.getClassLoader()).isSameAs(onlyTheJar);
            Object ssh = formats.getField("SSH").get(null);
            Object verifier = verifiers.getMethod("get", formats).invoke(null, ssh);
            assertThat(verifier)
                    .as("SignatureVerifiers.get(SSH) from the shaded jar")
                    .isNotNull();
            assertThat(verifier.getClass().getName())
                    .isEqualTo("org.eclipse.jgit.internal.signing.ssh.SshSignatureVerifier");
            // the OpenPGP side is Lockstep's own verifier on Bouncy Castle: both must be in the jar
            assertThat(onlyTheJar.loadClass("dev.lockstep.git.OpenPgpKeyFileVerifier"))
                    .isNotNull();
            assertThat(onlyTheJar.loadClass("org.bouncycastle.openpgp.PGPPublicKeyRingCollection"))
                    .isNotNull();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        assertThat(Files.size(JAR)).isPositive();
    }
}
