package dev.lockstep.model;

import dev.lockstep.util.Tree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one place that hides Secret values from every output: diffs, the page feeds, and any object's {@code
 * toString}. For a Secret it hides {@code data}, {@code stringData} and every annotation that embeds them (kubectl's
 * {@code last-applied-configuration} holds the whole manifest); keys and the fact that something changed stay visible.
 * Other objects pass through untouched, unless they hold a value that was encrypted in git (a SOPS document's
 * plaintext): every form of this function that takes {@code secretValues} hides those wherever they appear, in any
 * object or text.
 */
public final class SecretMask {
    public static final String HIDDEN = "***";
    public static final String CHANGED = "*** (changed)";
    public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final List<String> VALUE_FIELDS = List.of("data", "stringData");

    /** Both sides of a comparison, masked; either may be null (the object is created or deleted). */
    public record Pair(Map<String, Object> before, Map<String, Object> after) {}

    private SecretMask() {}

    public static boolean isSecret(Map<?, ?> object) {
        // any group: a custom kind named Secret is treated as one too (hiding too much is the safe side)
        return object != null && "Secret".equals(object.get("kind"));
    }

    /**
     * A secret value shorter than this is hidden only where it is a whole string; longer ones wherever they appear
     * inside text too (hiding every "on" or "1" in a diff would hide everything).
     */
    static final int MIN_EMBEDDED_LENGTH = 6;

    /** A masked copy of a Secret; any other object is returned as it is. */
    public static Map<String, Object> masked(Map<String, Object> object) {
        return pair(null, object).after();
    }

    /**
     * Masked copies of two versions of one object, for a diff: a value or embedding annotation that differs reads
     * {@value #CHANGED} (or {@code <changed, N bytes, hidden: ...>}) on the after side, so a change still shows.
     */
    public static Pair pair(Map<String, Object> before, Map<String, Object> after) {
        if (!isSecret(before) && !isSecret(after)) {
            return new Pair(before, after);
        }
        Set<String> values = new LinkedHashSet<>();
        collectValues(before, values);
        collectValues(after, values);
        Map<String, Object> maskedBefore = before == null ? null : Tree.deepCopy(before);
        Map<String, Object> maskedAfter = after == null ? null : Tree.deepCopy(after);
        for (String field : VALUE_FIELDS) {
            Map<String, Object> old = before == null ? Map.of() : Tree.map(before, field);
            maskValues(maskedAfter, field, old, before != null);
            maskValues(maskedBefore, field, null, false);
        }
        Map<String, Object> oldAnnotations = before == null ? Map.of() : Tree.map(before, "metadata", "annotations");
        maskAnnotations(maskedAfter, values, oldAnnotations, before != null);
        maskAnnotations(maskedBefore, values, null, false);
        return new Pair(maskedBefore, maskedAfter);
    }

    /**
     * Any value of any shape (maps, lists, records already turned into maps) with every Secret found inside it
     * masked: for JSON feeds that may embed objects.
     */
    @SuppressWarnings("unchecked")
    public static Object maskedTree(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (isSecret(map)) {
                return masked((Map<String, Object>) map);
            }
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, maskedTree(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(maskedTree(v)));
            return copy;
        }
        return value;
    }

    /** {@link #pair(Map, Map)}, and every value that was encrypted in git hidden on both sides too. */
    public static Pair pair(Map<String, Object> before, Map<String, Object> after, Set<String> secretValues) {
        Pair masked = pair(before, after);
        if (secretValues.isEmpty()) {
            return masked;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> maskedAfter =
                (Map<String, Object>) hideValues(masked.after(), masked.before(), secretValues);
        @SuppressWarnings("unchecked")
        Map<String, Object> maskedBefore = (Map<String, Object>)
                hideReplaced(hideValues(masked.before(), null, secretValues), masked.after(), secretValues);
        return new Pair(maskedBefore, maskedAfter);
    }

    /**
     * {@code before} with each string hidden where {@code after} has a secret value in its place: the value git
     * replaced (a rotated one, still live) was encrypted at an older commit, which {@code secretValues} (the new
     * commit's) does not know (issue 22).
     */
    private static Object hideReplaced(Object before, Object after, Set<String> secretValues) {
        if (before instanceof Map<?, ?> map && after instanceof Map<?, ?> now) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, hideReplaced(v, now.get(k), secretValues)));
            return copy;
        }
        if (before instanceof List<?> list && after instanceof List<?> now) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(hideReplaced(list.get(i), i < now.size() ? now.get(i) : null, secretValues));
            }
            return copy;
        }
        if (before instanceof String text
                && after instanceof String now
                && !text.equals(now)
                && !maskedText(now, secretValues).equals(now)) {
            return HIDDEN;
        }
        return before;
    }

    /** {@link #maskedTree(Object)}, and every value that was encrypted in git hidden wherever it is. */
    public static Object maskedTree(Object value, Set<String> secretValues) {
        return hideValues(maskedTree(value), null, secretValues);
    }

    /** A text (a diff, an error, a log line) with every value that was encrypted in git hidden. */
    public static String maskedText(String text, Set<String> secretValues) {
        if (text == null || secretValues.isEmpty()) {
            return text;
        }
        if (secretValues.contains(text)) {
            return HIDDEN;
        }
        String masked = text;
        for (String form : embeddedForms(secretValues)) {
            masked = masked.replace(form, HIDDEN);
        }
        return masked;
    }

    /** Each value as it may appear inside text: itself, its lines, base64; longest first so none is half-hidden. */
    private static List<String> embeddedForms(Set<String> secretValues) {
        Set<String> forms = new LinkedHashSet<>();
        for (String value : secretValues) {
            forms.add(value);
            forms.add(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
            value.lines().map(String::strip).forEach(forms::add);
        }
        return forms.stream()
                .filter(f -> f.length() >= MIN_EMBEDDED_LENGTH)
                .sorted((a, b) -> b.length() - a.length())
                .toList();
    }

    /**
     * A copy with every string that is, or holds, a secret value hidden; where {@code before} had another string at
     * the same place, it reads {@value #CHANGED}, so a diff still shows the change.
     */
    private static Object hideValues(Object value, Object before, Set<String> secretValues) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            Map<?, ?> old = before instanceof Map<?, ?> b ? b : Map.of();
            map.forEach((k, v) -> copy.put(k, hideValues(v, old.get(k), secretValues)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            List<?> old = before instanceof List<?> b ? b : List.of();
            for (int i = 0; i < list.size(); i++) {
                copy.add(hideValues(list.get(i), i < old.size() ? old.get(i) : null, secretValues));
            }
            return copy;
        }
        if (value instanceof String text) {
            String masked = maskedText(text, secretValues);
            if (!masked.equals(text) && before != null && !text.equals(before)) {
                return CHANGED;
            }
            return masked;
        }
        return value;
    }

    /** How an annotation that embeds Secret data reads in place of its content. */
    public static String hiddenAnnotation(String value, boolean changed) {
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        return (changed ? "<changed, " + bytes + " bytes, hidden" : "<hidden, " + bytes + " bytes")
                + ": embeds Secret data>";
    }

    @SuppressWarnings("unchecked")
    private static void maskValues(Map<String, Object> object, String field, Map<String, Object> old, boolean compare) {
        if (object == null || !(object.get(field) instanceof Map<?, ?> m)) {
            return;
        }
        Map<String, Object> masked = new LinkedHashMap<>();
        ((Map<String, Object>) m)
                .forEach((k, v) -> masked.put(k, compare && !Objects.equals(old.get(k), v) ? CHANGED : HIDDEN));
        object.put(field, masked);
    }

    private static void maskAnnotations(
            Map<String, Object> object, Set<String> values, Map<String, Object> old, boolean compare) {
        if (object == null) {
            return;
        }
        Map<String, Object> annotations = Tree.map(object, "metadata", "annotations");
        if (annotations.isEmpty()) {
            return;
        }
        Map<String, Object> masked = new LinkedHashMap<>();
        annotations.forEach((k, v) -> {
            String text = String.valueOf(v);
            boolean embeds = LAST_APPLIED.equals(k) || values.stream().anyMatch(text::contains);
            masked.put(k, embeds ? hiddenAnnotation(text, compare && !Objects.equals(old.get(k), v)) : v);
        });
        Tree.ensureMap(object, "metadata").put("annotations", masked);
    }

    /** Every value of the Secret in each form it may be written in: as stored (base64) and decoded. */
    private static void collectValues(Map<String, Object> object, Set<String> into) {
        if (!isSecret(object)) {
            return;
        }
        for (String field : VALUE_FIELDS) {
            Tree.map(object, field).values().forEach(v -> {
                String text = String.valueOf(v);
                if (text.isEmpty()) {
                    return;
                }
                into.add(text);
                into.add(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
                try {
                    String decoded = new String(Base64.getMimeDecoder().decode(text), StandardCharsets.UTF_8);
                    if (!decoded.isEmpty()) {
                        into.add(decoded);
                    }
                } catch (IllegalArgumentException notBase64) {
                    // stringData, or a value the server will refuse: the text itself is already collected
                }
            });
        }
    }
}
