package dev.lockstep.secrets;

import dev.lockstep.model.SourceFile;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decrypts SOPS 3.x files in memory: YAML (every document), JSON, sops' dotenv form and binary files, whose data key
 * is wrapped for age X25519 or OpenPGP recipients. The MAC is verified before anything is returned: a wrong key, a
 * changed value, a missing MAC or a MAC mismatch is a {@link SopsException} naming the file (and the key path), never a
 * value.
 */
public final class SopsDecryptor {
    /** Whether the file is a SOPS document (it has a {@code sops} block), whatever it is encrypted for. */
    public boolean isEncrypted(SourceFile file) {
        return SopsDocument.read(file.path(), file.content()).isPresent();
    }

    /** Whether any document of this YAML stream (an engine's output) is a SOPS document. */
    public boolean anyDocumentEncrypted(byte[] yaml) {
        return SopsDocument.anyYamlDocumentEncrypted(yaml);
    }

    /**
     * The decrypted file, or empty when the file is not a SOPS document.
     *
     * @throws SopsException when it is one and cannot be decrypted or fails its MAC
     */
    public Optional<DecryptedFile> decrypt(SourceFile file, SopsKeys keys) throws SopsException {
        return session(keys).decrypt(file);
    }

    /**
     * Decrypts many files with the same keys, reading each key file once (at its first use): one session per pass,
     * so a rotated key file is read by the next pass.
     */
    public Session session(SopsKeys keys) {
        return new Session(new LoadedKeys(keys));
    }

    /** Files decrypted with keys read once; safe for concurrent use. */
    public final class Session {
        private final LoadedKeys keys;

        private Session(LoadedKeys keys) {
            this.keys = keys;
        }

        /** As {@link SopsDecryptor#decrypt(SourceFile, SopsKeys)}. */
        public Optional<DecryptedFile> decrypt(SourceFile file) throws SopsException {
            Optional<SopsDocument> read = SopsDocument.read(file.path(), file.content());
            if (read.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(SopsDecryptor.this.decrypt(file.path(), read.get(), keys));
        }
    }

    private DecryptedFile decrypt(String path, SopsDocument document, LoadedKeys keys) throws SopsException {
        SopsMetadata metadata;
        try {
            metadata = SopsMetadata.from(document.metadata());
        } catch (IllegalArgumentException e) {
            throw new SopsException(path, e.getMessage());
        }
        byte[] dataKey = DataKeys.open(path, metadata, keys);
        TreeDecryption walk = new TreeDecryption(path, dataKey, metadata);
        List<Map<String, Object>> plain = new ArrayList<>();
        for (Map<String, Object> d : document.documents()) {
            plain.add(walk.document(d));
        }
        verifyMac(path, metadata, dataKey, walk.macHex());
        return new DecryptedFile(
                path, document.format(), content(path, document.format(), plain, walk), walk.secretValues());
    }

    private static void verifyMac(String path, SopsMetadata metadata, byte[] dataKey, String computed)
            throws SopsException {
        if (metadata.mac().isEmpty()) {
            throw new SopsException(path, "has no MAC (sops.mac): refused, as sops refuses it");
        }
        byte[] stored;
        try {
            stored = EncryptedValue.parse(metadata.mac())
                    .decrypt(dataKey, metadata.lastModified())
                    .raw();
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new SopsException(
                    path, "its MAC (sops.mac) does not decrypt: sops.mac or sops.lastmodified was changed");
        }
        if (!MessageDigest.isEqual(stored, computed.getBytes(StandardCharsets.US_ASCII))) {
            throw new SopsException(path, "MAC mismatch: the file was changed after sops encrypted it");
        }
    }

    private static byte[] content(String path, SopsFormat format, List<Map<String, Object>> plain, TreeDecryption walk)
            throws SopsException {
        String text = switch (format) {
            case YAML -> SopsYaml.dumpAll(plain);
            case JSON -> JsonText.write(plain.get(0));
            case DOTENV -> DotenvText.write(plain.get(0));
            case BINARY -> {
                if (!(plain.get(0).get("data") instanceof String)) {
                    throw new SopsException(path, "a binary SOPS file needs one string value under data");
                }
                yield null;
            }
        };
        return text == null ? walk.lastRaw() : text.getBytes(StandardCharsets.UTF_8);
    }
}
