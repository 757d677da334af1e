package dev.lockstep.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every file and environment variable the config names, with the field that named it, so that loading can read each
 * one before anything is written to the cluster: a missing token must not surface at the first fetch, an hour later,
 * as a git error. Problems name the field and the path, never what a file holds.
 */
final class NamedFiles {
    /** What a named file must hold. */
    enum Kind {
        /** A token, password or shared secret: UTF-8 text, not blank (surrounding whitespace is ignored on use). */
        SECRET,
        /** A key, known_hosts, CA or keyring file: readable, not empty (its format is checked where it is used). */
        FILE
    }

    private record Named(String field, Path path, Kind kind) {}

    private record Variable(String field, String name) {}

    private final List<Named> files = new ArrayList<>();
    private final List<Variable> variables = new ArrayList<>();

    void file(String field, Path path, Kind kind) {
        files.add(new Named(field, path, kind));
    }

    void variable(String field, String name) {
        variables.add(new Variable(field, name));
    }

    /** One problem per file that cannot be read or holds nothing, and per variable that is not set. */
    List<String> problems(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        for (Named f : files) {
            String problem = f.kind() == Kind.SECRET ? readSecret(f.path()) : readFile(f.path());
            if (problem != null) {
                problems.add(f.field() + ": " + f.path() + ": " + problem);
            }
        }
        for (Variable v : variables) {
            String value = env.get(v.name());
            if (value == null || value.isBlank()) {
                problems.add(v.field() + ": environment variable " + v.name() + " is not set");
            }
        }
        return problems;
    }

    /** @return the problem, or null when the file holds a secret */
    private static String readSecret(Path path) {
        String unreadable = unreadable(path);
        if (unreadable != null) {
            return unreadable;
        }
        try {
            // decoded strictly, as it is on use; the value itself goes nowhere
            return StandardCharsets.UTF_8
                            .newDecoder()
                            .decode(ByteBuffer.wrap(Files.readAllBytes(path)))
                            .toString()
                            .isBlank()
                    ? "is empty"
                    : null;
        } catch (CharacterCodingException e) {
            return "is not UTF-8 text";
        } catch (IOException e) {
            return cannotRead(e);
        }
    }

    /** @return the problem, or null when the file can be read and holds something */
    private static String readFile(Path path) {
        String unreadable = unreadable(path);
        if (unreadable != null) {
            return unreadable;
        }
        try (InputStream in = Files.newInputStream(path)) {
            return in.read() < 0 ? "is empty" : null;
        } catch (IOException e) {
            return cannotRead(e);
        }
    }

    private static String unreadable(Path path) {
        if (Files.isDirectory(path)) {
            return "is a directory, not a file";
        }
        if (!Files.exists(path)) {
            return "no such file";
        }
        return null;
    }

    private static String cannotRead(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "cannot be read (permission denied)";
        }
        return "cannot be read (" + e.getClass().getSimpleName() + ")";
    }
}
