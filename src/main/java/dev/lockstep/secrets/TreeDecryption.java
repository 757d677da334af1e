package dev.lockstep.secrets;

import dev.lockstep.secrets.SopsMetadata.EncryptionRule;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One walk over a document's values in document order: decrypts what the rule says sops encrypted (the key path
 * joined with ":" plus a trailing ":" is each value's additional data; list items share their list's path) and
 * hashes every value into the SHA-512 MAC (only the encrypted ones with {@code mac_only_encrypted}).
 */
final class TreeDecryption {
    /** sops' fixed start of the hash for mac_only_encrypted, so the two kinds of MAC never coincide. */
    private static final byte[] MAC_ONLY_ENCRYPTED_INIT = {
        (byte) 0x8a,
        0x3f,
        (byte) 0xd2,
        (byte) 0xad,
        0x54,
        (byte) 0xce,
        0x66,
        0x52,
        0x7b,
        0x10,
        0x34,
        (byte) 0xf3,
        (byte) 0xd1,
        0x47,
        (byte) 0xbe,
        0x0b,
        0x0b,
        (byte) 0x97,
        0x5b,
        0x3b,
        (byte) 0xf4,
        0x4f,
        0x72,
        (byte) 0xc6,
        (byte) 0xfd,
        (byte) 0xad,
        (byte) 0xec,
        (byte) 0x81,
        0x76,
        (byte) 0xf2,
        0x7d,
        0x69
    };

    private final String file;
    private final byte[] dataKey;
    private final EncryptionRule rule;
    private final boolean macOnlyEncrypted;
    private final MessageDigest mac;
    private final Set<String> secretValues = new LinkedHashSet<>();
    private byte[] lastRaw = new byte[0];

    TreeDecryption(String file, byte[] dataKey, SopsMetadata metadata) {
        this.file = file;
        this.dataKey = dataKey;
        this.rule = metadata.rule();
        this.macOnlyEncrypted = metadata.macOnlyEncrypted();
        try {
            this.mac = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-512", e);
        }
        if (macOnlyEncrypted) {
            mac.update(MAC_ONLY_ENCRYPTED_INIT);
        }
    }

    /** A decrypted copy of one document. */
    Map<String, Object> document(Map<String, Object> document) throws SopsException {
        return map(document, List.of(), "");
    }

    /** The hash of every value walked so far, as sops writes it: upper-case hex. */
    String macHex() {
        return java.util.HexFormat.of().withUpperCase().formatHex(mac.digest());
    }

    Set<String> secretValues() {
        return secretValues;
    }

    /** The plaintext bytes of the last value decrypted (a binary file's content). */
    byte[] lastRaw() {
        return lastRaw;
    }

    private Map<String, Object> map(Map<?, ?> in, List<String> path, String shown) throws SopsException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : in.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new SopsException(file, "key path " + shownOr(shown) + " has a key that is not a string");
            }
            List<String> childPath = new ArrayList<>(path);
            childPath.add(key);
            out.put(key, value(e.getValue(), childPath, shown.isEmpty() ? key : shown + "." + key));
        }
        return out;
    }

    private Object value(Object in, List<String> path, String shown) throws SopsException {
        if (in instanceof Map<?, ?> m) {
            return map(m, path, shown);
        }
        if (in instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(value(list.get(i), path, shown + "[" + i + "]"));
            }
            return out;
        }
        if (in == null) {
            return null; // sops neither decrypts nor hashes a null
        }
        return leaf(in, path, shown);
    }

    private Object leaf(Object in, List<String> path, String shown) throws SopsException {
        boolean encrypted = rule.encrypts(path);
        Object plain = in;
        byte[] hashed;
        if (encrypted) {
            if (!(in instanceof String text)) {
                throw new SopsException(file, "key path " + shown + " should be encrypted but is a plain " + kind(in));
            }
            if (text.isEmpty()) {
                hashed = new byte[0]; // sops leaves an empty string as it is
            } else {
                EncryptedValue.Plain decrypted = decrypt(text, path, shown);
                plain = decrypted.value();
                hashed = decrypted.macBytes();
                lastRaw = decrypted.raw();
                // numbers and booleans are not collected: masking every "True" or "1" would hide everything
                if (plain instanceof String s && !s.isEmpty()) {
                    secretValues.add(s);
                }
            }
        } else {
            String text = GoText.macText(in);
            hashed = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        }
        if (!macOnlyEncrypted || encrypted) {
            mac.update(hashed);
        }
        return plain;
    }

    private EncryptedValue.Plain decrypt(String text, List<String> path, String shown) throws SopsException {
        EncryptedValue value;
        try {
            value = EncryptedValue.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SopsException(file, "key path " + shown + ": " + e.getMessage());
        }
        try {
            return value.decrypt(dataKey, String.join(":", path) + ":");
        } catch (GeneralSecurityException e) {
            throw new SopsException(
                    file,
                    "key path " + shown + " does not decrypt: its ciphertext, iv or tag was changed, or it was"
                            + " moved from another key");
        }
    }

    private static String shownOr(String shown) {
        return shown.isEmpty() ? "(top level)" : shown;
    }

    private static String kind(Object value) {
        return value instanceof Boolean ? "boolean" : value instanceof Number ? "number" : "value";
    }
}
