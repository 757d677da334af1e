package dev.lockstep.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook's shared secret and the two ways a caller proves it knows it. Every comparison is constant-time
 * ({@link MessageDigest#isEqual}); the secret never appears in {@link #toString()}.
 */
public final class WebhookSecret {
    private static final String HMAC = "HmacSHA256";
    private static final String SIGNATURE_PREFIX = "sha256=";

    private final byte[] secret;
    private final byte[] secretDigest;

    private WebhookSecret(byte[] secret) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("the webhook secret is empty");
        }
        this.secret = secret.clone();
        this.secretDigest = sha256(this.secret);
    }

    public static WebhookSecret of(byte[] secret) {
        return new WebhookSecret(secret);
    }

    /** Reads a secret file; a trailing newline (as {@code echo} writes it) is not part of the secret. */
    public static WebhookSecret read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        return new WebhookSecret(Arrays.copyOf(bytes, end));
    }

    /**
     * GitHub's {@code X-Hub-Signature-256: sha256=<hex>}: the HMAC-SHA256 of the raw body keyed with the secret.
     */
    public boolean matchesSignature(String header, byte[] body) {
        if (header == null || !header.startsWith(SIGNATURE_PREFIX)) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of()
                    .parseHex(header.substring(SIGNATURE_PREFIX.length()).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(body), given);
    }

    /** A bearer token equal to the secret. Digests are compared so the time taken does not reveal the length. */
    public boolean matchesToken(String token) {
        return token != null && MessageDigest.isEqual(sha256(token.getBytes(StandardCharsets.UTF_8)), secretDigest);
    }

    /** The signature a sender would compute; for tests and for documenting the scheme. */
    public String sign(byte[] body) {
        return SIGNATURE_PREFIX + HexFormat.of().formatHex(hmac(body));
    }

    private byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSecret[redacted]";
    }
}
