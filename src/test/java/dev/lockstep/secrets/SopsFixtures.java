package dev.lockstep.secrets;

import dev.lockstep.model.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files under src/test/resources/sops (their source is named in the README there). */
final class SopsFixtures {
    private SopsFixtures() {}

    static byte[] bytes(String name) {
        try (InputStream in = SopsFixtures.class.getResourceAsStream("/sops/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    static SourceFile file(String name) {
        return new SourceFile("secrets/" + name, bytes(name));
    }

    static SourceFile file(String name, String content) {
        return new SourceFile("secrets/" + name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Copies a key fixture into dir, as a mounted key file would be. */
    static Path keyFile(Path dir, String name) {
        try {
            Path target = dir.resolve(name);
            Files.write(target, bytes(name));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
