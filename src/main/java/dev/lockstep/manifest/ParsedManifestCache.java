package dev.lockstep.manifest;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.util.PackedTree;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Parsed manifests kept on disk under {@code <cacheDir>/parsed}, one file per app, keyed by what was parsed (the caller
 * names it by the git tree id of the app's path): a restarted process parses no YAML for a tree it parsed before.
 *
 * <p>Only a clean parse is kept (no error), so an invalid manifest is always parsed again and reported with its file
 * and line as the first time. Validation is not kept: it depends on the app's namespace policy and the cluster's kinds,
 * and runs on every pass. A file written by another Lockstep version, a truncated or corrupt file, or one whose
 * checksum does not match is ignored (and replaced by the next parse): the cache can only cost a parse, never change a
 * result. Writes go to a temporary file moved into place, so a crash leaves the old file or the new one.
 *
 * <p>The form: a header (format, version, key), the parse as one {@link PackedTree}, a CRC-32.
 */
public final class ParsedManifestCache {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ParsedManifestCache.class);
    private static final int MAGIC = 0x4c53504d; // "LSPM"
    /** Bumped when the layout below changes, for builds that carry no version (a development build). */
    private static final int FORMAT = 2;

    private final Path dir;
    private final String version;

    /** @param version the running Lockstep's version: a file another version wrote is not read */
    public ParsedManifestCache(Path dir, String version) {
        this.dir = dir;
        this.version = version;
    }

    /**
     * This build's version: the jar's {@code Implementation-Version} ("dev" outside a jar) and when the parser's class
     * was built, so a snapshot rebuilt with another parser does not read its predecessor's files.
     */
    public static String runningVersion() {
        String v = ManifestParser.class.getPackage().getImplementationVersion();
        long built = 0;
        try {
            java.net.URL url = ManifestParser.class.getResource("ManifestParser.class");
            if (url != null) {
                java.net.URLConnection connection = url.openConnection();
                connection.setUseCaches(false);
                built = connection.getLastModified();
            }
        } catch (IOException e) {
            built = -1;
        }
        return (v == null ? "dev" : v) + "+" + built;
    }

    /** The manifests and warnings of a clean parse stored under {@code key} for {@code app}, if readable. */
    public Optional<ParseResult> get(String app, String key) {
        Path file = file(app, key);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("app {}: cannot read the parse cache {}: {}; parsing again", app, file, e.getMessage());
            return Optional.empty();
        }
        try {
            return Optional.of(decode(bytes, key));
        } catch (Stale e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            log.warn("app {}: the parse cache {} is unreadable ({}); parsing again", app, file, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Keeps a clean parse under {@code key}, replacing the app's earlier one. A result with errors, or holding a value
     * this form has no tag for, is not kept. A failed write is logged and otherwise ignored: the cache is only a cache.
     */
    public void put(String app, String key, ParseResult parsed) {
        if (!parsed.ok()) {
            return;
        }
        byte[] bytes;
        try {
            bytes = encode(parsed, key);
        } catch (Unsupported e) {
            log.debug("app {}: parse not cached: {}", app, e.getMessage());
            return;
        }
        Path target = file(app, key);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".parse-", ".tmp");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            removeOthers(app, target);
        } catch (IOException | UncheckedIOException e) {
            log.warn("app {}: cannot write the parse cache {}: {}", app, target, e.getMessage());
        }
    }

    /** One file per app: an older tree's parse goes when a newer one is kept. */
    private void removeOthers(String app, Path kept) throws IOException {
        String prefix = appPrefix(app);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*.parsed")) {
            for (Path f : files) {
                if (!f.equals(kept)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    Path file(String app, String key) {
        return dir.resolve(appPrefix(app) + sha256(key).substring(0, 32) + ".parsed");
    }

    private static String appPrefix(String app) {
        return sha256(app).substring(0, 16) + "-";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    // ---------------------------------------------------------------- the file: header, packed tree, checksum

    /** The parse as one tree (manifests with their key, file and line; warnings), packed by {@link PackedTree}. */
    private byte[] encode(ParseResult parsed, String key) {
        List<Object> manifests = new ArrayList<>(parsed.manifests().size());
        for (Manifest m : parsed.manifests()) {
            ResourceKey k = m.key();
            manifests.add(List.of(
                    k.group(), k.kind(), k.namespace(), k.name(), m.apiVersion(), m.file(), m.line(), m.body()));
        }
        List<Object> warnings = new ArrayList<>(parsed.warnings().size());
        for (ManifestError warning : parsed.warnings()) {
            warnings.add(List.of(warning.file(), warning.line(), warning.message()));
        }
        byte[] packed;
        try {
            packed = PackedTree.pack(List.of(manifests, warnings));
        } catch (IllegalArgumentException e) {
            throw new Unsupported(e.getMessage());
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(packed.length + 256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            writeText(out, version);
            writeText(out, key);
            out.write(packed);
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    private static void writeText(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private ParseResult decode(byte[] bytes, String key) {
        if (bytes.length < 16) {
            throw new IllegalStateException("too short");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getInt() != MAGIC) {
            throw new IllegalStateException("not a parse cache file");
        }
        if (in.getInt() != FORMAT) {
            throw new Stale();
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        if (ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong() != crc.getValue()) {
            throw new IllegalStateException("checksum mismatch");
        }
        if (!readText(in).equals(version) || !readText(in).equals(key)) {
            throw new Stale();
        }
        List<?> tree = (List<?>) PackedTree.unpack(Arrays.copyOfRange(bytes, in.position(), bytes.length - 8));
        List<Manifest> manifests = new ArrayList<>();
        for (Object entry : (List<?>) tree.get(0)) {
            List<?> m = (List<?>) entry;
            ResourceKey k = new ResourceKey((String) m.get(0), (String) m.get(1), (String) m.get(2), (String) m.get(3));
            @SuppressWarnings("unchecked") // packed from a manifest body: a string-keyed map
            Map<String, Object> body = (Map<String, Object>) m.get(7);
            manifests.add(new Manifest(k, (String) m.get(4), body, (String) m.get(5), (Integer) m.get(6)));
        }
        List<ManifestError> warnings = new ArrayList<>();
        for (Object entry : (List<?>) tree.get(1)) {
            List<?> w = (List<?>) entry;
            warnings.add(new ManifestError((String) w.get(0), (Integer) w.get(1), (String) w.get(2)));
        }
        return new ParseResult(manifests, List.of(), warnings);
    }

    private static String readText(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalStateException("bad string length");
        }
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    /** Written by another version or format: not an error, just not this cache. */
    private static final class Stale extends RuntimeException {
        Stale() {
            super(null, null, false, false);
        }
    }

    private static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }
}
