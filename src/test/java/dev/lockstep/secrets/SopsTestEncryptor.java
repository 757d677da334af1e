package dev.lockstep.secrets;

import com.exceptionfactory.jagged.framework.armor.ArmoredEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Test-only: writes SOPS documents for an age recipient the way sops does (its format as documented by sops), so
 * tests can make many documents (benchmarks, the integration test) and try the options no published fixture uses.
 * Compatibility itself is proven by the real sops fixtures, not by this class.
 */
public final class SopsTestEncryptor {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String LAST_MODIFIED = "2026-12-06T18:00:00Z";

    private final List<String> ageRecipients;
    private final Map<String, Object> ruleSettings;
    private final Predicate<List<String>> encrypts;
    private final boolean macOnlyEncrypted;

    private SopsTestEncryptor(
            List<String> ageRecipients,
            Map<String, Object> ruleSettings,
            Predicate<List<String>> encrypts,
            boolean macOnlyEncrypted) {
        this.ageRecipients = ageRecipients;
        this.ruleSettings = ruleSettings;
        this.encrypts = encrypts;
        this.macOnlyEncrypted = macOnlyEncrypted;
    }

    /** sops' default: everything but keys ending in _unencrypted. */
    public static SopsTestEncryptor forAge(String... recipients) {
        return new SopsTestEncryptor(
                List.of(recipients),
                Map.of("unencrypted_suffix", "_unencrypted"),
                path -> path.stream().noneMatch(k -> k.endsWith("_unencrypted")),
                false);
    }

    /** Like {@code sops --encrypted-regex}: only values under a key matching the regex. */
    public SopsTestEncryptor withEncryptedRegex(String regex, boolean macOnlyEncrypted) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        return new SopsTestEncryptor(
                ageRecipients,
                Map.of("encrypted_regex", regex),
                path -> path.stream().anyMatch(k -> p.matcher(k).find()),
                macOnlyEncrypted);
    }

    /** A new age key pair: the identity ({@code AGE-SECRET-KEY-1…}) and its recipient ({@code age1…}). */
    public record AgeKeyPair(String identity, String recipient) {}

    public static AgeKeyPair newAgeKeyPair() throws Exception {
        java.security.KeyPair pair = new com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator().generateKeyPair();
        return new AgeKeyPair(pair.getPrivate().toString(), pair.getPublic().toString());
    }

    /** A YAML document (one), encrypted. */
    public String yaml(Map<String, Object> document) throws Exception {
        byte[] dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);
        MessageDigest mac = MessageDigest.getInstance("SHA-512");
        if (macOnlyEncrypted) {
            mac.update(HexFormat.of().parseHex("8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69"));
        }
        Map<String, Object> encrypted = walkMap(document, new ArrayList<>(), dataKey, mac);
        Map<String, Object> sops = new LinkedHashMap<>();
        List<Map<String, Object>> age = new ArrayList<>();
        for (String recipient : ageRecipients) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("recipient", recipient);
            entry.put("enc", ageWrap(recipient, dataKey));
            age.add(entry);
        }
        sops.put("age", age);
        sops.put("lastmodified", LAST_MODIFIED);
        sops.put(
                "mac",
                seal(
                        HexFormat.of().withUpperCase().formatHex(mac.digest()).getBytes(StandardCharsets.US_ASCII),
                        "str",
                        dataKey,
                        LAST_MODIFIED));
        sops.putAll(ruleSettings);
        if (macOnlyEncrypted) {
            sops.put("mac_only_encrypted", true);
        }
        sops.put("version", "3.9.0");
        encrypted.put("sops", sops);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(Integer.MAX_VALUE);
        return new Yaml(options).dump(encrypted);
    }

    /** sops' dotenv form of flat string entries. */
    public String dotenv(Map<String, String> entries) throws Exception {
        byte[] dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);
        MessageDigest mac = MessageDigest.getInstance("SHA-512");
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            byte[] plain = e.getValue().getBytes(StandardCharsets.UTF_8);
            mac.update(plain);
            out.append(e.getKey())
                    .append('=')
                    .append(seal(plain, "str", dataKey, e.getKey() + ":"))
                    .append('\n');
        }
        for (int i = 0; i < ageRecipients.size(); i++) {
            out.append("sops_age__list_")
                    .append(i)
                    .append("__map_enc=")
                    .append(ageWrap(ageRecipients.get(i), dataKey).replace("\n", "\\n"))
                    .append('\n');
            out.append("sops_age__list_")
                    .append(i)
                    .append("__map_recipient=")
                    .append(ageRecipients.get(i))
                    .append('\n');
        }
        out.append("sops_lastmodified=").append(LAST_MODIFIED).append('\n');
        out.append("sops_mac=")
                .append(seal(
                        HexFormat.of().withUpperCase().formatHex(mac.digest()).getBytes(StandardCharsets.US_ASCII),
                        "str",
                        dataKey,
                        LAST_MODIFIED))
                .append('\n');
        out.append("sops_unencrypted_suffix=_unencrypted\nsops_version=3.9.0\n");
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> walkMap(Map<String, Object> in, List<String> path, byte[] key, MessageDigest mac)
            throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : in.entrySet()) {
            List<String> child = new ArrayList<>(path);
            child.add(e.getKey());
            out.put(e.getKey(), walk(e.getValue(), child, key, mac));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Object walk(Object value, List<String> path, byte[] key, MessageDigest mac) throws Exception {
        if (value instanceof Map<?, ?> m) {
            return walkMap((Map<String, Object>) m, path, key, mac);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                out.add(walk(item, path, key, mac));
            }
            return out;
        }
        if (value == null) {
            return null;
        }
        String text = value instanceof Boolean b ? (b ? "True" : "False") : String.valueOf(value);
        String type =
                value instanceof Boolean ? "bool" : value instanceof Integer || value instanceof Long ? "int" : "str";
        boolean encrypt = encrypts.test(path);
        if (!macOnlyEncrypted || encrypt) {
            mac.update(text.getBytes(StandardCharsets.UTF_8));
        }
        if (!encrypt || text.isEmpty()) {
            return value;
        }
        return seal(text.getBytes(StandardCharsets.UTF_8), type, key, String.join(":", path) + ":");
    }

    private static String seal(byte[] plain, String type, byte[] key, String aad) throws Exception {
        byte[] iv = new byte[32];
        RANDOM.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(plain);
        Base64.Encoder b64 = Base64.getEncoder();
        byte[] data = java.util.Arrays.copyOf(sealed, sealed.length - 16);
        byte[] tag = java.util.Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length);
        return "ENC[AES256_GCM,data:" + b64.encodeToString(data) + ",iv:" + b64.encodeToString(iv) + ",tag:"
                + b64.encodeToString(tag) + ",type:" + type + "]";
    }

    private static String ageWrap(String recipient, byte[] dataKey) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (WritableByteChannel channel = new ArmoredEncryptingChannelFactory()
                .newEncryptingChannel(
                        Channels.newChannel(out),
                        List.of(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient)))) {
            channel.write(ByteBuffer.wrap(dataKey));
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
