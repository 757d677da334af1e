package dev.lockstep.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One {@code ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]} value: AES-256-GCM under the document's data key, with the
 * value's key path as additional data, so a value moved to another key does not decrypt.
 */
record EncryptedValue(byte[] data, byte[] iv, byte[] tag, String type) {
    private static final Pattern FORM =
            Pattern.compile("^ENC\\[AES256_GCM,data:(.*),iv:(.+),tag:(.+),type:(.+)\\]$", Pattern.DOTALL);

    /** A decrypted value: typed as sops typed it, and the bytes its MAC covers. */
    record Plain(Object value, byte[] raw, byte[] macBytes) {}

    static boolean looksEncrypted(Object value) {
        return value instanceof String s && s.startsWith("ENC[AES256_GCM,") && s.endsWith("]");
    }

    /** @throws IllegalArgumentException naming what is wrong with the form, never the value */
    static EncryptedValue parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a sops encrypted value (ENC[AES256_GCM,data:…,iv:…,tag:…,type:…])");
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            return new EncryptedValue(
                    b64.decode(m.group(1)), b64.decode(m.group(2)), b64.decode(m.group(3)), m.group(4));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an encrypted value's data, iv or tag is not base64");
        }
    }

    /** @throws GeneralSecurityException when the key, the key path or the ciphertext is not the one sealed */
    Plain decrypt(byte[] dataKey, String additionalData) throws GeneralSecurityException {
        if (tag.length != 16 || iv.length == 0) {
            throw new GeneralSecurityException("malformed iv or tag");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(additionalData.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = new byte[data.length + tag.length];
        System.arraycopy(data, 0, sealed, 0, data.length);
        System.arraycopy(tag, 0, sealed, data.length, tag.length);
        byte[] raw = cipher.doFinal(sealed);
        String text = new String(raw, StandardCharsets.UTF_8);
        Object value = switch (type) {
            case "str", "bytes", "time", "comment" -> text;
            case "int" -> parseInt(text);
            case "float" -> parseFloat(text);
            case "bool" -> parseBool(text);
            default -> throw new GeneralSecurityException("unknown value type " + type);
        };
        byte[] macBytes = value instanceof String ? raw : GoText.macText(value).getBytes(StandardCharsets.UTF_8);
        return new Plain(value, raw, macBytes);
    }

    private static Object parseInt(String text) throws GeneralSecurityException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new GeneralSecurityException("an int value does not parse");
        }
    }

    private static Object parseFloat(String text) throws GeneralSecurityException {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new GeneralSecurityException("a float value does not parse");
        }
    }

    /** Go's strconv.ParseBool. */
    private static Object parseBool(String text) throws GeneralSecurityException {
        return switch (text) {
            case "1", "t", "T", "true", "TRUE", "True" -> Boolean.TRUE;
            case "0", "f", "F", "false", "FALSE", "False" -> Boolean.FALSE;
            default -> throw new GeneralSecurityException("a bool value does not parse");
        };
    }

    @Override
    public String toString() {
        return "EncryptedValue[type=" + type.toLowerCase(Locale.ROOT) + "]";
    }
}
