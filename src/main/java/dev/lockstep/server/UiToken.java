package dev.lockstep.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bearer token that protects the status page and its feeds ({@code http.uiTokenFile}). A caller proves it knows
 * the token in one of two ways:
 * <ul>
 *   <li>{@code Authorization: Bearer <token>} (curl, scripts);</li>
 *   <li>the session cookie a browser gets from the page's sign-in form. The cookie holds an HMAC of a fixed label keyed
 *       with the token, never the token itself; a new token invalidates every cookie.</li>
 * </ul>
 * Every comparison is constant-time; the token never appears in {@link #toString()}.
 */
public final class UiToken {
    static final String COOKIE = "lockstep_ui";
    private static final String BEARER = "Bearer ";
    private static final String HMAC = "HmacSHA256";
    private static final byte[] SESSION_LABEL = "lockstep status page session".getBytes(StandardCharsets.UTF_8);

    private final byte[] digest;
    private final String session;

    private UiToken(byte[] token) {
        if (token.length == 0) {
            throw new IllegalArgumentException("the status page token is empty");
        }
        this.digest = sha256(token);
        this.session = HexFormat.of().formatHex(hmac(token, SESSION_LABEL));
    }

    public static UiToken of(String token) {
        return new UiToken(token.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a token file; a trailing newline (as {@code echo} writes it) is not part of the token. */
    public static UiToken read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        return new UiToken(Arrays.copyOf(bytes, end));
    }

    /** Digests are compared, so the time taken does not reveal the token's length. */
    public boolean matches(String token) {
        return token != null && MessageDigest.isEqual(sha256(token.getBytes(StandardCharsets.UTF_8)), digest);
    }

    /** True when the request carries the token as a bearer header, or a valid session cookie. */
    boolean admits(Exchange exchange) {
        String auth = exchange.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return matches(auth.substring(BEARER.length()).trim());
        }
        return cookie(exchange.headers("Cookie")).map(this::matchesSession).orElse(false);
    }

    /** The {@code Set-Cookie} value a browser gets after it signed in with the token. */
    String sessionCookie() {
        return COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict";
    }

    private boolean matchesSession(String value) {
        return MessageDigest.isEqual(
                value.getBytes(StandardCharsets.US_ASCII), session.getBytes(StandardCharsets.US_ASCII));
    }

    private static Optional<String> cookie(List<String> cookieHeaders) {
        for (String line : cookieHeaders) {
            for (String pair : line.split(";")) {
                String p = pair.trim();
                if (p.startsWith(COOKIE + "=")) {
                    return Optional.of(p.substring(COOKIE.length() + 1));
                }
            }
        }
        return Optional.empty();
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "UiToken[redacted]";
    }
}
