package dev.lockstep.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.SourceFile;
import dev.lockstep.testing.IsolatedGitConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A developer's ~/.gitconfig must not change what the git tests see. Each case writes one value into a HOME this test
 * controls, shows that JGit, left alone, lets it change the outcome (the control), then that {@link IsolatedGitConfig}
 * gives the outcome of a host without that file.
 */
@Isolated // swaps the JVM-wide SystemReader
class HostGitConfigTest {
    @TempDir
    Path tmp;

    private int runs;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[diff]\n\tnoprefix = true\n", // CommitWriter.diff would lose its a/ b/ prefixes
                "[core]\n\tautocrlf = true\n", // the fixture's CRLF file would be stored with LF
                "[commit]\n\tgpgsign = true\n" // the fixture's commits would need a GPG key
            })
    void aValueInTheHostGitconfigDoesNotChangeWhatATestSees(String hostGitconfig) throws Exception {
        String isolated = outcome();
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(home.resolve(".gitconfig"), hostGitconfig);

        try (HostGitconfig host = HostGitconfig.install(home)) {
            String leaked = outcome();
            assertThat(leaked)
                    .as("control: without isolation the host's %s changes the outcome", hostGitconfig.strip())
                    .isNotEqualTo(isolated);
            try (IsolatedGitConfig.Installed again = IsolatedGitConfig.install()) {
                assertThat(outcome()).isEqualTo(isolated);
            }
        }
        assertThat(isolated)
                .contains("config.yaml: a: 1\\r\\n")
                .contains("--- a/app/config.yaml")
                .contains("+++ b/app/config.yaml");
    }

    /**
     * What a test sees of a fixture repository with a CRLF file: the file as Lockstep reads it, the diff its writer
     * shows; or the error when the fixture cannot even commit.
     */
    private String outcome() {
        Path run = tmp.resolve("run-" + runs++);
        try (TestRepo remote = TestRepo.create(run.resolve("remote"));
                GitSource source = new GitSource(new RepoSpec(remote.url(), "main"), run.resolve("cache"))) {
            String v1 = remote.write("app/config.yaml", "a: 1\r\n").commit("v1").name();
            String v2 = remote.write("app/config.yaml", "a: 2\r\n").commit("v2").name();
            source.fetch();
            List<SourceFile> files = source.readPath(v1, "app").orElseThrow();
            CommitWriter writer = new CommitWriter(
                    source,
                    "Lockstep",
                    "lockstep@example.com",
                    Optional.empty(),
                    Clock.fixed(Instant.parse("2024-05-02T00:00:00Z"), ZoneOffset.UTC));
            String content = new String(files.get(0).content(), StandardCharsets.UTF_8);
            return "config.yaml: " + content.replace("\r", "\\r").replace("\n", "\\n") + "\n" + writer.diff(v1, v2);
        } catch (Exception e) {
            return "failed: " + e;
        }
    }

    /** What a developer's machine does: the user config is HOME's .gitconfig. */
    private static final class HostGitconfig extends SystemReader.Delegate implements AutoCloseable {
        private final SystemReader previous;
        private final Path home;

        private HostGitconfig(SystemReader previous, Path home) {
            super(previous);
            this.previous = previous;
            this.home = home;
        }

        static HostGitconfig install(Path home) {
            HostGitconfig host = new HostGitconfig(SystemReader.getInstance(), home);
            SystemReader.setInstance(host);
            return host;
        }

        @Override
        public FileBasedConfig openUserConfig(Config parent, FS fs) {
            return new FileBasedConfig(parent, new File(home.toFile(), ".gitconfig"), fs);
        }

        @Override
        public void close() {
            SystemReader.setInstance(previous);
        }
    }
}
