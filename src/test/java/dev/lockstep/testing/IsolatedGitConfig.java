package dev.lockstep.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps the host's git configuration out of every test, as JGit's own tests do with MockSystemReader: JGit reads
 * ~/.gitconfig, the XDG config and /etc/gitconfig into every repository's config, so a developer's
 * {@code diff.noprefix}, {@code core.autocrlf} or {@code commit.gpgsign} would change what a test sees. Here the user,
 * system and JGit configs are empty files in a fresh temporary directory, HOME and XDG_CONFIG_HOME point there and
 * GIT_* variables are hidden; everything else (time, hostname) is the host's.
 *
 * <p>Registered for every test class through {@code META-INF/services} (see junit-platform.properties).
 * {@link SystemReader} is one JVM-wide instance and failsafe runs IT classes in parallel, so the classes that run at
 * the same time share one isolated reader: the first installs it, the last restores the reader it replaced. The count
 * lives in the root store of the JUnit run, not in a static field.
 */
public final class IsolatedGitConfig implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(IsolatedGitConfig.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        shared(context).acquire();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        shared(context).release();
    }

    private static Shared shared(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(Shared.class, k -> new Shared(), Shared.class);
    }

    /** Installs an isolated reader over the current one; {@link Installed#close()} puts the current one back. */
    public static Installed install() throws IOException {
        SystemReader previous = SystemReader.getInstance();
        Path dir = Files.createTempDirectory("lockstep-gitconfig");
        SystemReader.setInstance(new EmptyGitConfig(previous, dir));
        return new Installed(previous, dir);
    }

    /** The isolation in force; closing it restores the reader it replaced and deletes its directory. */
    public static final class Installed implements AutoCloseable {
        private final SystemReader previous;
        private final Path dir;

        private Installed(SystemReader previous, Path dir) {
            this.previous = previous;
            this.dir = dir;
        }

        @Override
        public void close() {
            SystemReader.setInstance(previous);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One isolation shared by the test classes running at the same time. */
    private static final class Shared {
        private Installed installed;
        private int classes;

        synchronized void acquire() throws IOException {
            if (classes++ == 0) {
                installed = install();
            }
        }

        synchronized void release() {
            if (--classes == 0) {
                installed.close();
                installed = null;
            }
        }
    }

    private static final class EmptyGitConfig extends SystemReader.Delegate {
        private final Path dir;

        EmptyGitConfig(SystemReader host, Path dir) {
            super(host);
            this.dir = dir;
        }

        @Override
        public FileBasedConfig openUserConfig(Config parent, FS fs) {
            return new FileBasedConfig(parent, file("gitconfig"), fs);
        }

        @Override
        public FileBasedConfig openSystemConfig(Config parent, FS fs) {
            return new FileBasedConfig(parent, file("system-gitconfig"), fs);
        }

        @Override
        public FileBasedConfig openJGitConfig(Config parent, FS fs) {
            return new FileBasedConfig(parent, file("jgit-config"), fs);
        }

        @Override
        public String getenv(String name) {
            return switch (name) {
                case "HOME" -> dir.toString();
                case "XDG_CONFIG_HOME" -> dir.resolve(".config").toString();
                default -> name.startsWith("GIT_") ? null : super.getenv(name);
            };
        }

        @Override
        public String getProperty(String key) {
            return "user.home".equals(key) ? dir.toString() : super.getProperty(key);
        }

        private File file(String name) {
            return dir.resolve(name).toFile();
        }
    }
}
