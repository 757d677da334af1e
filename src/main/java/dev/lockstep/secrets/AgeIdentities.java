package dev.lockstep.secrets;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.framework.armor.ArmoredDecryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/** age X25519 identities from one file ({@code AGE-SECRET-KEY-1…} lines, {@code #} comments), read when asked. */
final class AgeIdentities {
    private final List<RecipientStanzaReader> readers;

    private AgeIdentities(List<RecipientStanzaReader> readers) {
        this.readers = readers;
    }

    /** @throws IllegalArgumentException naming the file and line, never the key */
    static AgeIdentities read(Path file) throws IOException {
        List<RecipientStanzaReader> readers = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(line));
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new IllegalArgumentException(
                        file + " line " + (i + 1) + " is not an age X25519 identity (AGE-SECRET-KEY-1…)");
            }
        }
        if (readers.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no age identity");
        }
        return new AgeIdentities(List.copyOf(readers));
    }

    /** The data key wrapped in this armored age file, or null when none of these identities is a recipient. */
    byte[] unwrap(String armored) {
        byte[] in = armored.strip().concat("\n").getBytes(StandardCharsets.US_ASCII);
        try (ReadableByteChannel channel = new ArmoredDecryptingChannelFactory()
                .newDecryptingChannel(Channels.newChannel(new ByteArrayInputStream(in)), readers)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(256);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                out.write(buffer.array(), 0, buffer.limit());
                buffer.clear();
            }
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return null;
        }
    }
}
