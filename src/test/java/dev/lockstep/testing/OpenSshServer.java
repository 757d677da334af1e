package dev.lockstep.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's OpenSSH server ({@code /usr/sbin/sshd}, package {@code openssh-server}), started by a test on a free
 * loopback port as the current user, with a generated host key, its own authorized_keys and nothing else: only
 * public-key logins, and the repositories it serves are reached by their absolute path ({@code git-upload-pack} and
 * {@code git-receive-pack} come from the machine's git on PATH). Keys are made with {@code ssh-keygen}, exactly as a
 * person makes them.
 */
public final class OpenSshServer implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path dir;
    private final Process process;
    private final int port;
    private final Path hostKey;
    private final Path authorizedKeys;
    private final Path log;

    private OpenSshServer(Path dir, Process process, int port, Path hostKey, Path authorizedKeys, Path log) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.hostKey = hostKey;
        this.authorizedKeys = authorizedKeys;
        this.log = log;
    }

    /** Whether this machine has sshd and ssh-keygen (CI installs {@code openssh-server}). */
    public static boolean available() {
        return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    }

    /**
     * @param hostKeyType an ssh-keygen type: {@code ed25519}, {@code ecdsa} or {@code rsa}; the server offers only
     *     this host key
     */
    public static OpenSshServer start(Path dir, String hostKeyType) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path hostKey = keygen(hostKeyType, dir.resolve("ssh_host_" + hostKeyType + "_key"));
        Path authorizedKeys = Files.writeString(dir.resolve("authorized_keys"), "");
        if ("root".equals(System.getProperty("user.name"))) {
            // as root, sshd separates privileges and needs its (normally systemd-made) empty directory
            Files.createDirectories(Path.of("/run/sshd"));
        }
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a free port can be taken between probe and bind
            int port = freePort();
            Path config = Files.writeString(dir.resolve("sshd_config"), config(dir, port, hostKey, authorizedKeys));
            Path log = dir.resolve("sshd-" + port + ".log");
            Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            OpenSshServer server = new OpenSshServer(dir, process, port, hostKey, authorizedKeys, log);
            try {
                server.awaitListening();
                return server;
            } catch (IOException e) {
                server.close();
                last = e;
            }
        }
        throw last;
    }

    private static String config(Path dir, int port, Path hostKey, Path authorizedKeys) {
        return String.join(
                "\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorizedKeys,
                "AllowUsers " + System.getProperty("user.name"),
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "StrictModes no", // the temp directory's modes are not the point of these tests
                "UsePAM no",
                "LogLevel VERBOSE",
                "");
    }

    /** Generates a key pair with ssh-keygen (no passphrase); returns the private key's path. */
    public static Path keygen(String type, Path privateKey) throws IOException, InterruptedException {
        Files.deleteIfExists(privateKey);
        Files.deleteIfExists(Path.of(privateKey + ".pub"));
        run(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "lockstep-test", "-f", privateKey.toString()));
        return privateKey;
    }

    /** Generates a client key and lets it log in. */
    public Path authorizedKey(String type, String name) throws IOException, InterruptedException {
        Path key = keygen(type, dir.resolve(name));
        Files.writeString(authorizedKeys, Files.readString(Path.of(key + ".pub")), StandardOpenOption.APPEND);
        return key;
    }

    /** Generates a client key the server does not know. */
    public Path unknownKey(String type, String name) throws IOException, InterruptedException {
        return keygen(type, dir.resolve(name));
    }

    /** A known_hosts file listing this server's real host key for {@code [127.0.0.1]:port}. */
    public Path knownHosts() throws IOException {
        return knownHostsWith(Path.of(hostKey + ".pub"), "known_hosts");
    }

    /** A known_hosts file that lists another key for this server, as after a host key change. */
    public Path knownHostsWithAnotherKey(String type) throws IOException, InterruptedException {
        Path other = keygen(type, dir.resolve("other_host_" + type + "_key"));
        return knownHostsWith(Path.of(other + ".pub"), "known_hosts-changed-" + type);
    }

    private Path knownHostsWith(Path publicKey, String name) throws IOException {
        String[] parts = Files.readString(publicKey).strip().split(" ");
        String line = "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n";
        return Files.writeString(dir.resolve(name), line);
    }

    /** The ssh url of a repository on this machine, by its absolute path. */
    public String url(Path repository) {
        return "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + port
                + repository.toAbsolutePath().normalize();
    }

    public int port() {
        return port;
    }

    /** What sshd logged (why it refused a key, which key types were offered...). */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("sshd exited with " + process.exitValue() + ": " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("sshd did not listen on port " + port + " within " + START_TIMEOUT + ": " + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
