package dev.lockstep.manifest;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.ResourceKey;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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
 * <p>The form is compact binary: a string table (every key and repeated value once), then the manifests' trees.
 */
public final class ParsedManifestCache {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ParsedManifestCache.class);
    private static final int MAGIC = 0x4c53504d; // "LSPM"
    /** Bumped when the layout below changes, for builds that carry no version (a development build). */
    private static final int FORMAT = 1;

    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte INT = 2;
    private static final byte LONG = 3;
    private static final byte BIG_INTEGER = 4;
    private static final byte DOUBLE = 5;
    private static final byte TRUE = 6;
    private static final byte FALSE = 7;
    private static final byte MAP = 8;
    private static final byte LIST = 9;

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

    // ---------------------------------------------------------------- encoding

    private byte[] encode(ParseResult parsed, String key) {
        Writer w = new Writer();
        for (Manifest m : parsed.manifests()) {
            ResourceKey k = m.key();
            w.string(k.group());
            w.string(k.kind());
            w.string(k.namespace());
            w.string(k.name());
            w.string(m.apiVersion());
            w.string(m.file());
            w.varint(m.line());
            w.value(m.body());
        }
        for (ManifestError warning : parsed.warnings()) {
            w.string(warning.file());
            w.varint(warning.line());
            w.string(warning.message());
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(w.body.size() + 4096);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            writeText(out, version);
            writeText(out, key);
            out.writeInt(parsed.manifests().size());
            out.writeInt(parsed.warnings().size());
            out.writeInt(w.strings.size());
            for (String s : w.strings) {
                writeText(out, s);
            }
            w.body.writeTo(out);
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

    /** Strings go into one table, written once; the trees refer to them by index. */
    private static final class Writer {
        final ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 16);
        final List<String> strings = new ArrayList<>();
        final Map<String, Integer> index = new HashMap<>();

        void string(String s) {
            Integer i = index.get(s);
            if (i == null) {
                i = strings.size();
                strings.add(s);
                index.put(s, i);
            }
            varint(i);
        }

        void varint(long v) {
            long rest = v;
            while ((rest & ~0x7FL) != 0) {
                body.write((int) ((rest & 0x7F) | 0x80));
                rest >>>= 7;
            }
            body.write((int) rest);
        }

        void value(Object v) {
            if (v == null) {
                body.write(NULL);
            } else if (v instanceof String s) {
                body.write(STRING);
                string(s);
            } else if (v instanceof Integer i) {
                body.write(INT);
                varint(zigzag(i));
            } else if (v instanceof Long l) {
                body.write(LONG);
                varint(zigzag(l));
            } else if (v instanceof BigInteger b) {
                body.write(BIG_INTEGER);
                string(b.toString());
            } else if (v instanceof Double d) {
                body.write(DOUBLE);
                long bits = Double.doubleToRawLongBits(d);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    body.write((int) (bits >>> shift));
                }
            } else if (v instanceof Boolean b) {
                body.write(b ? TRUE : FALSE);
            } else if (v instanceof Map<?, ?> map) {
                body.write(MAP);
                varint(map.size());
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new Unsupported("a map key of type " + typeOf(e.getKey()));
                    }
                    string(key);
                    value(e.getValue());
                }
            } else if (v instanceof List<?> list) {
                body.write(LIST);
                varint(list.size());
                list.forEach(this::value);
            } else {
                throw new Unsupported("a value of type " + typeOf(v));
            }
        }

        private static long zigzag(long v) {
            return (v << 1) ^ (v >> 63);
        }

        private static String typeOf(Object o) {
            return o == null ? "null" : o.getClass().getName();
        }
    }

    // ---------------------------------------------------------------- decoding

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
        int manifests = in.getInt();
        int warnings = in.getInt();
        int stringCount = in.getInt();
        if (manifests < 0 || warnings < 0 || stringCount < 0 || stringCount > bytes.length) {
            throw new IllegalStateException("bad counts");
        }
        String[] strings = new String[stringCount];
        for (int i = 0; i < stringCount; i++) {
            strings[i] = readText(in);
        }
        Reader r = new Reader(in, strings);
        List<Manifest> out = new ArrayList<>(Math.min(manifests, bytes.length));
        for (int i = 0; i < manifests; i++) {
            ResourceKey k = new ResourceKey(r.string(), r.string(), r.string(), r.string());
            String apiVersion = r.string();
            String file = r.string();
            int line = (int) r.varint();
            if (!(r.value() instanceof Map<?, ?> body)) {
                throw new IllegalStateException("a manifest body that is not a map");
            }
            @SuppressWarnings("unchecked") // the reader builds string-keyed maps only
            Map<String, Object> typed = (Map<String, Object>) body;
            out.add(new Manifest(k, apiVersion, typed, file, line));
        }
        List<ManifestError> warned = new ArrayList<>();
        for (int i = 0; i < warnings; i++) {
            warned.add(new ManifestError(r.string(), (int) r.varint(), r.string()));
        }
        if (in.remaining() != 8) {
            throw new IllegalStateException("trailing bytes");
        }
        return new ParseResult(out, List.of(), warned);
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

    private static final class Reader {
        private final ByteBuffer in;
        private final String[] strings;

        Reader(ByteBuffer in, String[] strings) {
            this.in = in;
            this.strings = strings;
        }

        String string() {
            long i = varint();
            if (i < 0 || i >= strings.length) {
                throw new IllegalStateException("bad string index");
            }
            return strings[(int) i];
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = in.get();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalStateException("bad varint");
        }

        /** Mutable maps and lists, as SnakeYAML builds them: later steps treat a body as read-only anyway. */
        Object value() {
            byte tag = in.get();
            return switch (tag) {
                case NULL -> null;
                case STRING -> string();
                case INT -> (int) unzigzag(varint());
                case LONG -> unzigzag(varint());
                case BIG_INTEGER -> new BigInteger(string());
                case DOUBLE -> Double.longBitsToDouble(in.getLong());
                case TRUE -> Boolean.TRUE;
                case FALSE -> Boolean.FALSE;
                case MAP -> {
                    int size = size();
                    Map<String, Object> map = new LinkedHashMap<>(Math.max(4, size * 4 / 3 + 1));
                    for (int i = 0; i < size; i++) {
                        String key = string();
                        map.put(key, value());
                    }
                    yield map;
                }
                case LIST -> {
                    int size = size();
                    List<Object> list = new ArrayList<>(size);
                    for (int i = 0; i < size; i++) {
                        list.add(value());
                    }
                    yield list;
                }
                default -> throw new IllegalStateException("unknown tag " + tag);
            };
        }

        private int size() {
            long size = varint();
            if (size < 0 || size > in.remaining()) {
                throw new IllegalStateException("bad size");
            }
            return (int) size;
        }

        private static long unzigzag(long v) {
            return (v >>> 1) ^ -(v & 1);
        }
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
