package dev.lockstep.secrets;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A document's {@code sops} block: who can open its data key, which values are encrypted, and its MAC.
 *
 * @param lastModified as sops formats it (RFC 3339, seconds), the MAC's additional data
 * @param otherServices the key services Lockstep cannot use that the document names (AWS KMS, …)
 */
record SopsMetadata(
        String lastModified,
        String mac,
        List<Recipient> age,
        List<Recipient> pgp,
        List<String> otherServices,
        EncryptionRule rule,
        boolean macOnlyEncrypted) {

    /** One recipient of the data key: an age recipient or an OpenPGP fingerprint, and the key wrapped for it. */
    record Recipient(String id, String enc) {}

    private static final Map<String, String> OTHER_SERVICES = orderedServices();
    private static final DateTimeFormatter GO_RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    /** @throws IllegalArgumentException naming the field that is wrong */
    static SopsMetadata from(Map<?, ?> sops) {
        if (sops.get("key_groups") instanceof List<?> groups && !groups.isEmpty()) {
            throw new IllegalArgumentException(
                    "sops.key_groups (Shamir secret sharing over several key groups) is not supported");
        }
        for (String field : List.of("encrypted_comment_regex", "unencrypted_comment_regex")) {
            if (!text(sops, field).isEmpty()) {
                throw new IllegalArgumentException("sops." + field + " is not supported");
            }
        }
        String lastModified = text(sops, "lastmodified");
        if (lastModified.isEmpty()) {
            throw new IllegalArgumentException("sops.lastmodified is missing");
        }
        List<String> others = new ArrayList<>();
        OTHER_SERVICES.forEach((field, name) -> {
            if (sops.get(field) instanceof List<?> list && !list.isEmpty()) {
                others.add(name + " (sops." + field + ")");
            }
        });
        return new SopsMetadata(
                goRfc3339(lastModified),
                text(sops, "mac"),
                recipients(sops, "age", "recipient"),
                recipients(sops, "pgp", "fp"),
                List.copyOf(others),
                EncryptionRule.from(sops),
                Boolean.parseBoolean(text(sops, "mac_only_encrypted")));
    }

    /** sops parses lastmodified and formats it again as RFC 3339 before it becomes the MAC's additional data. */
    private static String goRfc3339(String lastModified) {
        try {
            return OffsetDateTime.parse(lastModified).format(GO_RFC3339);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("sops.lastmodified is not an RFC 3339 time");
        }
    }

    private static List<Recipient> recipients(Map<?, ?> sops, String field, String idField) {
        if (!(sops.get(field) instanceof List<?> list)) {
            return List.of();
        }
        List<Recipient> out = new ArrayList<>();
        for (Object entry : list) {
            if (entry instanceof Map<?, ?> m && !text(m, "enc").isEmpty()) {
                out.add(new Recipient(text(m, idField), text(m, "enc")));
            }
        }
        return List.copyOf(out);
    }

    static String text(Map<?, ?> map, String field) {
        Object value = map.get(field);
        return value == null ? "" : String.valueOf(value);
    }

    private static Map<String, String> orderedServices() {
        Map<String, String> services = new LinkedHashMap<>();
        services.put("kms", "AWS KMS");
        services.put("gcp_kms", "GCP KMS");
        services.put("azure_kv", "Azure Key Vault");
        services.put("hc_vault", "HashiCorp Vault");
        services.put("hckms", "HuaweiCloud KMS");
        return services;
    }

    /**
     * Which values sops encrypted: at most one of the four settings; with none, keys ending in {@code _unencrypted}
     * stay plain. A rule looks at every key on a value's path.
     */
    record EncryptionRule(
            String unencryptedSuffix, String encryptedSuffix, Pattern unencryptedRegex, Pattern encryptedRegex) {
        static EncryptionRule from(Map<?, ?> sops) {
            String unencryptedSuffix = text(sops, "unencrypted_suffix");
            String encryptedSuffix = text(sops, "encrypted_suffix");
            String unencryptedRegex = text(sops, "unencrypted_regex");
            String encryptedRegex = text(sops, "encrypted_regex");
            long set = List.of(unencryptedSuffix, encryptedSuffix, unencryptedRegex, encryptedRegex).stream()
                    .filter(s -> !s.isEmpty())
                    .count();
            if (set > 1) {
                throw new IllegalArgumentException("sops names more than one of encrypted_suffix, unencrypted_suffix,"
                        + " encrypted_regex and unencrypted_regex");
            }
            if (set == 0) {
                unencryptedSuffix = "_unencrypted";
            }
            return new EncryptionRule(
                    unencryptedSuffix,
                    encryptedSuffix,
                    regex("unencrypted_regex", unencryptedRegex),
                    regex("encrypted_regex", encryptedRegex));
        }

        private static Pattern regex(String field, String text) {
            try {
                return text.isEmpty() ? null : Pattern.compile(text);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("sops." + field + " is not a valid regular expression");
            }
        }

        /** sops' shouldBeEncrypted, without the comment rules (refused above). */
        boolean encrypts(List<String> path) {
            boolean encrypted = true;
            if (!unencryptedSuffix.isEmpty() && path.stream().anyMatch(k -> k.endsWith(unencryptedSuffix))) {
                encrypted = false;
            }
            if (!encryptedSuffix.isEmpty()) {
                encrypted = path.stream().anyMatch(k -> k.endsWith(encryptedSuffix));
            }
            if (unencryptedRegex != null
                    && path.stream().anyMatch(k -> unencryptedRegex.matcher(k).find())) {
                encrypted = false;
            }
            if (encryptedRegex != null) {
                encrypted =
                        path.stream().anyMatch(k -> encryptedRegex.matcher(k).find());
            }
            return encrypted;
        }
    }
}
