package dev.lockstep.notify;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A JSON POST in the shape of Flux's generic provider (an event with {@code involvedObject}, {@code severity},
 * {@code reason}, {@code message}, {@code metadata}, {@code reportingController}, {@code timestamp}), so receivers
 * written for Flux work. With a secret, {@code X-Signature: sha256=<hex HMAC-SHA256 of the body>}, as Flux's
 * generic-hmac provider sends it.
 */
public final class Webhook implements Destination {
    private final URI url;
    private final Optional<String> secret;

    public Webhook(URI url, Optional<String> secret) {
        this.url = url;
        this.secret = secret;
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public Optional<Outgoing> request(Notice n) {
        String body = Json.write(body(n));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        secret.ifPresent(s -> headers.put("X-Signature", "sha256=" + hmac(s, body)));
        return Optional.of(new Outgoing(url, headers, body));
    }

    static Map<String, Object> body(Notice n) {
        Map<String, Object> involved = new LinkedHashMap<>();
        n.workload()
                .ifPresentOrElse(
                        w -> {
                            involved.put("kind", w.kind());
                            involved.put("namespace", w.namespace());
                            involved.put("name", w.name());
                        },
                        () -> {
                            involved.put("kind", "App");
                            involved.put("name", n.app());
                        });
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("revision", n.fluxRevision());
        metadata.put("app", n.app());
        metadata.put("commit", n.commit());
        metadata.put("subject", n.subject());
        if (n.revision() > 0) {
            metadata.put("workloadRevision", Long.toString(n.revision()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("involvedObject", involved);
        body.put("severity", n.event().severity());
        body.put("timestamp", n.at().toString());
        body.put("message", n.message());
        body.put("reason", n.event().id());
        body.put("metadata", metadata);
        body.put("reportingController", "lockstep");
        return body;
    }

    static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
