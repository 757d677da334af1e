package dev.lockstep.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lockstep.model.Revision;
import dev.lockstep.model.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.UploadPack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real ssh server (Apache MINA sshd) serving a repository with JGit's UploadPack. */
class SshGitSourceTest {

    @TempDir
    Path tmp;

    TestRepo remote;
    SshServer server;
    KeyPair hostKey;
    KeyPair clientKey;
    Path clientKeyFile;
    String url;

    @BeforeEach
    void startServer() throws Exception {
        remote = TestRepo.create(tmp.resolve("remote"));
        hostKey = ecKey();
        clientKey = ecKey();
        clientKeyFile = writePrivateKey(clientKey, tmp.resolve("id_ecdsa"));

        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
        server.setCommandFactory((channel, command) -> new UploadPackCommand(remote.git.getRepository()));
        server.start();
        url = "ssh://git@127.0.0.1:" + server.getPort() + "/remote.git";
    }

    @AfterEach
    void stopServer() throws IOException {
        server.stop(true);
        remote.close();
    }

    private Path knownHosts(KeyPair key) throws IOException {
        String line = "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(key.getPublic()) + "\n";
        return Files.writeString(tmp.resolve("known_hosts-" + System.nanoTime()), line);
    }

    private GitSource source(Path knownHosts, Path privateKey) {
        return new GitSource(
                new RepoSpec(url, "main", GitCredentials.ssh(privateKey, knownHosts)), tmp.resolve("cache"));
    }

    @Test
    void fetchesOverSshWithAKnownHostKey() throws Exception {
        RevCommit c = remote.write("app/deploy.yaml", "image: v1").commit("v1");
        try (GitSource source = source(knownHosts(hostKey), clientKeyFile)) {
            assertThat(source.remoteHead()).isEqualTo(c.name());
            Revision r = source.fetch();
            assertThat(r.commit()).isEqualTo(c.name());
            assertThat(source.readPath(r.commit(), "app").orElseThrow())
                    .extracting(SourceFile::path, f -> new String(f.content(), StandardCharsets.UTF_8))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("app/deploy.yaml", "image: v1"));
        }
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        remote.write("a.yaml", "a").commit("one");
        try (GitSource source = source(knownHosts(ecKey()), clientKeyFile)) {
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::fetch);
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.HOST_KEY);
            assertThat(e).hasMessageContaining("127.0.0.1:" + server.getPort()).hasMessageContaining("known_hosts");
            assertThat(source.repositoryDirectory()).doesNotExist();
        }
    }

    @Test
    void anUnknownHostIsRefused() throws Exception {
        remote.write("a.yaml", "a").commit("one");
        Path empty = Files.writeString(tmp.resolve("known_hosts-empty"), "# nothing known\n");
        try (GitSource source = source(empty, clientKeyFile)) {
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::remoteHead);
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.HOST_KEY);
        }
        // strict means nothing was learned: the file is unchanged
        assertThat(Files.readString(empty)).isEqualTo("# nothing known\n");
    }

    @Test
    void aRevokedHostKeyIsRefusedEvenIfAlsoListed() throws Exception {
        remote.write("a.yaml", "a").commit("one");
        Path file = knownHosts(hostKey);
        Files.writeString(
                file,
                "@revoked [127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        try (GitSource source = source(file, clientKeyFile)) {
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::remoteHead);
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.HOST_KEY);
        }
    }

    @Test
    void aKeyTheServerDoesNotAcceptIsAnAuthError() throws Exception {
        remote.write("a.yaml", "a").commit("one");
        Path otherKey = writePrivateKey(ecKey(), tmp.resolve("other_id"));
        try (GitSource source = source(knownHosts(hostKey), otherKey)) {
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::remoteHead);
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.AUTH);
            assertThat(e)
                    .hasMessageContaining("ssh://***@127.0.0.1:" + server.getPort() + "/remote.git")
                    .hasMessageContaining("authentication refused");
        }
    }

    @Test
    void sshWithoutKnownHostsIsAConfigError() {
        RepoSpec spec = new RepoSpec(
                url,
                "main",
                new GitCredentials(
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        java.util.Optional.of(clientKeyFile),
                        java.util.Optional.empty()));
        try (GitSource source = new GitSource(spec, tmp.resolve("cache"))) {
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::remoteHead);
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.CONFIG);
            assertThat(e).hasMessageContaining("known_hosts");
        }
    }

    private static KeyPair ecKey() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static Path writePrivateKey(KeyPair key, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            new OpenSSHKeyPairResourceWriter().writePrivateKey(key, "test", null, out);
        }
        return file;
    }

    /** Serves "git-upload-pack" for one repository; any other command gets the same (this is a test server). */
    private static final class UploadPackCommand implements Command {
        private final Repository repository;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        UploadPackCommand(Repository repository) {
            this.repository = repository;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback exit) {
            this.exit = exit;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            Thread worker = new Thread(
                    () -> {
                        int status = 0;
                        try {
                            new UploadPack(repository).upload(in, out, err);
                            out.flush();
                        } catch (IOException e) {
                            status = 1;
                        }
                        exit.onExit(status);
                    },
                    "test-upload-pack");
            worker.setDaemon(true);
            worker.start();
        }

        @Override
        public void destroy(ChannelSession channel) {}
    }
}
