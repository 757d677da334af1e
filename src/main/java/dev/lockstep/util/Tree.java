package dev.lockstep.util;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure helpers over Kubernetes objects held as plain maps and lists (what YAML and JSON parse into).
 * Lockstep keeps objects in this form so that any kind, including CRDs, flows through the same code.
 */
public final class Tree {
    private Tree() {}

    /** The value at {@code path} (map keys), or empty when any step is missing or not a map. */
    public static Optional<Object> at(Map<String, Object> root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            current = map.get(key);
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    public static Optional<String> string(Map<String, Object> root, String... path) {
        return at(root, path).filter(String.class::isInstance).map(String.class::cast);
    }

    public static Optional<Long> number(Map<String, Object> root, String... path) {
        return at(root, path).filter(Number.class::isInstance).map(n -> ((Number) n).longValue());
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Map<String, Object> root, String... path) {
        return at(root, path)
                .filter(Map.class::isInstance)
                .map(m -> (Map<String, Object>) m)
                .orElse(Map.of());
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Map<String, Object> root, String... path) {
        return at(root, path)
                .filter(List.class::isInstance)
                .map(l -> (List<Object>) l)
                .orElse(List.of());
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> maps(Map<String, Object> root, String... path) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : list(root, path)) {
            if (o instanceof Map<?, ?> m) {
                out.add((Map<String, Object>) m);
            }
        }
        return out;
    }

    /** The map at {@code path}, created (as LinkedHashMap) where missing. The root must be mutable. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> ensureMap(Map<String, Object> root, String... path) {
        Map<String, Object> current = root;
        for (String key : path) {
            Object next = current.get(key);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                current.put(key, next);
            }
            current = (Map<String, Object>) next;
        }
        return current;
    }

    /** A deep, mutable copy: maps become LinkedHashMaps and lists ArrayLists; scalars are shared. */
    @SuppressWarnings("unchecked")
    public static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(deepCopy(v)));
            return (T) copy;
        }
        return value;
    }

    /**
     * Structural equality that treats numbers by value (YAML gives Integer, JSON may give Long or Double)
     * and a missing map entry like an empty map/list/null, since the API server drops empty values.
     */
    public static boolean sameValue(Object a, Object b) {
        if (isEmpty(a) && isEmpty(b)) {
            return true;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            for (Object key : union(x, y)) {
                if (!sameValue(x.get(key), y.get(key))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!sameValue(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a != null && a.equals(b);
    }

    private static boolean isEmpty(Object o) {
        return o == null || (o instanceof Map<?, ?> m && m.isEmpty()) || (o instanceof List<?> l && l.isEmpty());
    }

    private static java.util.Set<Object> union(Map<?, ?> x, Map<?, ?> y) {
        java.util.Set<Object> keys = new java.util.LinkedHashSet<>(x.keySet());
        keys.addAll(y.keySet());
        return keys;
    }

    /**
     * The path of the first place where {@code actual} differs from {@code expected}, like
     * {@code spec.template.spec.containers[0].image}. Paths only, never values: this goes into logs and Events.
     */
    public static Optional<String> firstDifference(Object expected, Object actual) {
        return firstDifference(expected, actual, "");
    }

    private static Optional<String> firstDifference(Object expected, Object actual, String path) {
        if (sameValue(expected, actual)) {
            return Optional.empty();
        }
        if (expected instanceof Map<?, ?> x && actual instanceof Map<?, ?> y) {
            for (Object key : union(x, y)) {
                String child = path.isEmpty() ? String.valueOf(key) : path + "." + key;
                Optional<String> found = firstDifference(x.get(key), y.get(key), child);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        if (expected instanceof List<?> x && actual instanceof List<?> y && x.size() == y.size()) {
            for (int i = 0; i < x.size(); i++) {
                Optional<String> found = firstDifference(x.get(i), y.get(i), path + "[" + i + "]");
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.of(path.isEmpty() ? "(object)" : path);
    }
}
