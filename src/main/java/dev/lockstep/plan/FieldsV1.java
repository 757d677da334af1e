package dev.lockstep.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The server's record of which fields a field manager owns ({@code managedFields[].fieldsV1}), as plain map trees.
 * Keys are {@code f:<field>}, {@code k:<json keys of a list item>}, {@code v:<json value of a set item>} and
 * {@code i:<index>}; {@code "."} under a list item means the item itself is owned.
 * Only the paths that matter for removing fields are modelled, not the whole structured-merge-diff semantics.
 */
final class FieldsV1 {
    private FieldsV1() {}

    /** The union of two field sets. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> out = new LinkedHashMap<>(a);
        b.forEach((k, v) -> {
            Object mine = out.get(k);
            if (mine instanceof Map<?, ?> m && v instanceof Map<?, ?> n) {
                out.put(k, merge((Map<String, Object>) m, (Map<String, Object>) n));
            } else if (mine == null) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Every owned path: a leaf of the tree, or a list item marked with {@code "."}. */
    static Set<List<String>> owned(Map<String, Object> fields) {
        Set<List<String>> out = new LinkedHashSet<>();
        collect(fields, new ArrayList<>(), out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Map<String, Object> node, List<String> path, Set<List<String>> out) {
        node.forEach((k, v) -> {
            if (k.equals(".")) {
                // A list item's "." is the item itself; a map field's "." only says the map exists, and the map goes
                // when its last owned key goes: removing it whole would take other managers' keys with it.
                if (!path.isEmpty() && !path.get(path.size() - 1).startsWith("f:")) {
                    out.add(List.copyOf(path));
                }
                return;
            }
            List<String> child = new ArrayList<>(path);
            child.add(k);
            if (v instanceof Map<?, ?> m && !m.isEmpty()) {
                collect((Map<String, Object>) m, child, out);
            } else {
                out.add(List.copyOf(child));
            }
        });
    }

    /** Removes the field at {@code path} from {@code object} (a no-op when it is not there); true if something went. */
    @SuppressWarnings("unchecked")
    static boolean remove(Map<String, Object> object, List<String> path) {
        Object parent = object;
        for (int i = 0; i < path.size() - 1; i++) {
            parent = step(parent, path.get(i)).orElse(null);
            if (parent == null) {
                return false;
            }
        }
        String last = path.get(path.size() - 1);
        if (parent instanceof Map<?, ?> map && last.startsWith("f:")) {
            return ((Map<String, Object>) map).remove(last.substring(2)) != null;
        }
        if (parent instanceof List<?> list) {
            Optional<Object> item = step(list, last);
            return item.isPresent() && ((List<Object>) list).remove(item.get());
        }
        return false;
    }

    private static Optional<Object> step(Object node, String key) {
        if (node instanceof Map<?, ?> map && key.startsWith("f:")) {
            return Optional.ofNullable(map.get(key.substring(2)));
        }
        if (node instanceof List<?> list) {
            if (key.startsWith("i:")) {
                int index = Integer.parseInt(key.substring(2));
                return index < list.size() ? Optional.ofNullable(list.get(index)) : Optional.empty();
            }
            if (key.startsWith("k:")) {
                Map<String, String> keys = flatJson(key.substring(2));
                return list.stream()
                        .filter(item -> item instanceof Map<?, ?> m
                                && keys.entrySet().stream()
                                        .allMatch(e -> Objects.equals(e.getValue(), scalar(m.get(e.getKey())))))
                        .map(Object.class::cast)
                        .findFirst();
            }
            if (key.startsWith("v:")) {
                String value = unquote(key.substring(2));
                return list.stream()
                        .filter(item -> value.equals(scalar(item)))
                        .map(Object.class::cast)
                        .findFirst();
            }
        }
        return Optional.empty();
    }

    /** A readable path for messages: {@code spec.template.spec.containers[name=hello].env[name=LEGACY_FLAG]}. */
    static String describe(List<String> path) {
        StringBuilder out = new StringBuilder();
        for (String key : path) {
            if (key.startsWith("f:")) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(key.substring(2));
            } else if (key.startsWith("k:")) {
                List<String> parts = new ArrayList<>();
                flatJson(key.substring(2)).forEach((k, v) -> parts.add(k + "=" + v));
                out.append('[').append(String.join(",", parts)).append(']');
            } else if (key.startsWith("v:")) {
                out.append('[').append(unquote(key.substring(2))).append(']');
            } else if (key.startsWith("i:")) {
                out.append('[').append(key.substring(2)).append(']');
            }
        }
        return out.toString();
    }

    private static String scalar(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    /**
     * The keys of a list item as the server writes them: one flat JSON object of strings and numbers, e.g.
     * {@code {"containerPort":8080,"protocol":"TCP"}}. Values come back as strings.
     */
    static Map<String, String> flatJson(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        String body = json.trim();
        if (!body.startsWith("{") || !body.endsWith("}")) {
            return out;
        }
        int i = 1;
        int end = body.length() - 1;
        while (i < end) {
            int keyStart = body.indexOf('"', i);
            if (keyStart < 0 || keyStart >= end) {
                break;
            }
            int keyEnd = closingQuote(body, keyStart);
            String key = unescape(body.substring(keyStart + 1, keyEnd));
            int colon = body.indexOf(':', keyEnd);
            int valueStart = colon + 1;
            while (Character.isWhitespace(body.charAt(valueStart))) {
                valueStart++;
            }
            String value;
            if (body.charAt(valueStart) == '"') {
                int valueEnd = closingQuote(body, valueStart);
                value = unescape(body.substring(valueStart + 1, valueEnd));
                i = valueEnd + 1;
            } else {
                int comma = body.indexOf(',', valueStart);
                int valueEnd = comma < 0 ? end : comma;
                value = body.substring(valueStart, valueEnd).trim();
                i = valueEnd;
            }
            out.put(key, value);
            i = body.indexOf(',', i) < 0 ? end : body.indexOf(',', i) + 1;
        }
        return out;
    }

    private static String unquote(String json) {
        String s = json.trim();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? unescape(s.substring(1, s.length() - 1)) : s;
    }

    private static int closingQuote(String s, int open) {
        int i = open + 1;
        while (i < s.length() && s.charAt(i) != '"') {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return i;
    }

    private static String unescape(String s) {
        return s.replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
