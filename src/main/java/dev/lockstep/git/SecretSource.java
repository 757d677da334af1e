package dev.lockstep.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a secret (token or password) comes from. Only the source is held, never the value, so a
 * configuration object can be logged safely; the value is read at the moment a command needs it,
 * which also picks up rotated tokens without a restart.
 */
public sealed interface SecretSource {

    /** Reads the secret now. The value must never be logged or put into an exception message. */
    String resolve() throws GitSourceException;

    static SecretSource file(Path path) {
        return new FromFile(path);
    }

    static SecretSource env(String variable) {
        return new FromEnv(variable);
    }

    /** A file holding the secret (e.g. a mounted Kubernetes Secret); surrounding whitespace is ignored. */
    record FromFile(Path path) implements SecretSource {
        public FromFile {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String resolve() throws GitSourceException {
            try {
                String value = Files.readString(path, StandardCharsets.UTF_8).strip();
                if (value.isEmpty()) {
                    throw new GitSourceException(GitSourceException.Kind.CONFIG, "secret file " + path + " is empty");
                }
                return value;
            } catch (IOException e) {
                // The message names the file, not its content.
                throw new GitSourceException(
                        GitSourceException.Kind.CONFIG,
                        "cannot read secret file " + path + ": " + e.getClass().getSimpleName());
            }
        }

        @Override
        public String toString() {
            return "file:" + path;
        }
    }

    /** An environment variable holding the secret. */
    record FromEnv(String variable) implements SecretSource {
        public FromEnv {
            if (variable == null || variable.isBlank()) {
                throw new IllegalArgumentException("environment variable name must not be blank");
            }
        }

        @Override
        public String resolve() throws GitSourceException {
            String value = System.getenv(variable);
            if (value == null || value.isBlank()) {
                throw new GitSourceException(
                        GitSourceException.Kind.CONFIG, "environment variable " + variable + " is not set");
            }
            return value.strip();
        }

        @Override
        public String toString() {
            return "env:" + variable;
        }
    }
}
