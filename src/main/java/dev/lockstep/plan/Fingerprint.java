package dev.lockstep.plan;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A short digest of what an object's safe skip needs: the body Lockstep sent and the projection of the server's
 * answer onto that body's fields. Kept in the app's record, so a new process (a restart, a new leader, the CLI) can
 * trust the watch cache instead of dry-running: when the body it would send and the live object's projection give the
 * same digest, the dry run would only repeat the answer the server gave then.
 *
 * <p>Values are digested the way {@code Tree.sameValue} compares them: absent, empty map and empty list are one value,
 * and numbers compare by value (2 and 2.0 are the same), so a digest differs only where a comparison would.
 */
public final class Fingerprint {
    /** 96 bits: a collision needs two different states of the same object, not two among many. */
    private static final int BYTES = 12;

    private Fingerprint() {}

    /** The digest of {@code body} with the projection of the server's view onto it. */
    public static String of(Map<String, Object> body, Object projection) {
        // The bytes are gathered first and digested in one call: one update per token was most of the cost.
        Bytes digest = new Bytes();
        feed(digest, body);
        digest.update((byte) '|');
        feed(digest, projection);
        MessageDigest sha = sha256();
        sha.update(digest.buf(), 0, digest.size());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha.digest(), BYTES));
    }

    private static void feed(Bytes digest, Object value) {
        if (empty(value)) {
            digest.update((byte) '0');
        } else if (value instanceof Map<?, ?> map) {
            digest.update((byte) '{');
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> {
                if (!empty(v)) {
                    sorted.put(String.valueOf(k), v);
                }
            });
            sorted.forEach((k, v) -> {
                text(digest, k);
                feed(digest, v);
            });
            digest.update((byte) '}');
        } else if (value instanceof List<?> list) {
            digest.update((byte) '[');
            list.forEach(item -> feed(digest, item));
            digest.update((byte) ']');
        } else if (value instanceof Number n) {
            digest.update((byte) 'n');
            text(digest, Double.toString(n.doubleValue()));
        } else if (value instanceof String s) {
            digest.update((byte) 's');
            text(digest, s);
        } else {
            digest.update((byte) 'v');
            text(digest, value.toString());
        }
    }

    /** Length-prefixed, so no two different sequences of strings feed the same bytes. */
    private static void text(Bytes digest, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        digest.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.writeBytes(bytes);
    }

    private static boolean empty(Object o) {
        return o == null || (o instanceof Map<?, ?> m && m.isEmpty()) || (o instanceof List<?> l && l.isEmpty());
    }

    /** A growable buffer whose array is read without a copy. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes() {
            super(1024);
        }

        void update(byte b) {
            write(b);
        }

        byte[] buf() {
            return buf;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
