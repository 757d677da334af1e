package dev.lockstep.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority made in a test with the {@code openssl} command, as a company makes one: its
 * certificate (PEM), and a server certificate for {@code 127.0.0.1}/{@code localhost} it signed, packed with its key
 * for a Java server.
 *
 * @param caCertificate PEM of the CA, what a user puts in {@code repo.caFile}
 * @param serverKeyStore PKCS#12 holding the server's key and certificate chain, password {@link #PASSWORD}
 */
public record TestCa(Path caCertificate, Path serverKeyStore) {
    public static final String PASSWORD = "changeit";

    public static TestCa create(Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path caKey = dir.resolve(name + "-ca.key");
        Path caCert = dir.resolve(name + "-ca.crt");
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-keyout",
                caKey.toString(),
                "-out",
                caCert.toString(),
                "-subj",
                "/CN=" + name + " Test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
        Path serverKey = dir.resolve(name + "-server.key");
        Path csr = dir.resolve(name + "-server.csr");
        Path serverCert = dir.resolve(name + "-server.crt");
        openssl(
                dir,
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                serverKey.toString(),
                "-out",
                csr.toString(),
                "-subj",
                "/CN=127.0.0.1");
        Path ext = Files.writeString(
                dir.resolve(name + "-server.ext"),
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                caCert.toString(),
                "-CAkey",
                caKey.toString(),
                "-CAcreateserial",
                "-days",
                "2",
                "-out",
                serverCert.toString(),
                "-extfile",
                ext.toString());
        Path chain = Files.writeString(
                dir.resolve(name + "-chain.crt"), Files.readString(serverCert) + Files.readString(caCert));
        Path p12 = dir.resolve(name + "-server.p12");
        openssl(
                dir,
                "pkcs12",
                "-export",
                "-in",
                chain.toString(),
                "-inkey",
                serverKey.toString(),
                "-out",
                p12.toString(),
                "-passout",
                "pass:" + PASSWORD);
        return new TestCa(caCert, p12);
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
