package dev.lockstep.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads typed fields out of one YAML mapping, recording problems with the field's full path instead of
 * throwing, and flags keys the format does not have ({@link ConfigKeys}: typos like {@code intreval} must not pass
 * silently).
 */
final class FieldReader {
    private final String path;
    private final Map<?, ?> map;
    private final List<String> problems;
    private final NamedFiles named;
    private final List<String> accepted;

    FieldReader(String path, Map<?, ?> map, List<String> problems, NamedFiles named) {
        this.path = path;
        this.map = map;
        this.problems = problems;
        this.named = named;
        this.accepted = ConfigKeys.of(path);
    }

    String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private Object raw(String key) {
        if (!accepted.contains(key)) { // a loader bug, not bad input: the key must be listed to be documented
            throw new IllegalStateException(field(key) + " is read but not listed in ConfigKeys");
        }
        return map.get(key);
    }

    Optional<String> string(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s && !s.isBlank()) {
            return Optional.of(s.trim());
        }
        problems.add(field(key) + ": must be a non-empty string");
        return Optional.empty();
    }

    /**
     * A file the config names, relative to the config's directory; loading reads it (with {@link NamedFiles}) before
     * anything is written to the cluster.
     */
    Optional<Path> file(String key, Path baseDir, NamedFiles.Kind kind) {
        Optional<Path> file = string(key).map(p -> ConfigLoader.resolve(baseDir, p));
        file.ifPresent(p -> named.file(field(key), p, kind));
        return file;
    }

    /** The name of an environment variable holding a secret; loading checks that it is set. */
    Optional<String> variable(String key) {
        Optional<String> name = string(key);
        name.ifPresent(n -> named.variable(field(key), n));
        return name;
    }

    String requiredString(String key) {
        Optional<String> s = string(key);
        if (s.isEmpty() && map.get(key) == null) {
            problems.add(field(key) + ": required");
        }
        return s.orElse("");
    }

    boolean bool(String key, boolean fallback) {
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        problems.add(field(key) + ": must be true or false");
        return fallback;
    }

    int integer(String key, int fallback, int min, int max) {
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Integer i && i >= min && i <= max) {
            return i;
        }
        problems.add(field(key) + ": must be an integer from " + min + " to " + max);
        return fallback;
    }

    double fraction(String key, double fallback) {
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1) {
            return n.doubleValue();
        }
        problems.add(field(key) + ": must be a number from 0 to 1 (a share, e.g. 0.5)");
        return fallback;
    }

    Duration duration(String key, Duration fallback, DurationRange range) {
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        try {
            if (v instanceof String s) {
                return range.parse(s);
            }
            problems.add(field(key) + ": \"" + v + "\" is not a duration (use e.g. 500ms, 30s, 5m, 1h)");
        } catch (IllegalArgumentException e) {
            problems.add(field(key) + ": " + e.getMessage());
        }
        return fallback;
    }

    Set<String> strings(String key) {
        Object v = raw(key);
        if (v == null) {
            return Set.of();
        }
        if (v instanceof List<?> list && list.stream().allMatch(i -> i instanceof String)) {
            Set<String> out = new LinkedHashSet<>();
            list.forEach(i -> out.add((String) i));
            return out;
        }
        problems.add(field(key) + ": must be a list of strings");
        return Set.of();
    }

    /** A list of non-empty strings in the order written (a command line, values files). */
    Optional<List<String>> orderedStrings(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof List<?> list && list.stream().allMatch(i -> i instanceof String s && !s.isBlank())) {
            return Optional.of(list.stream().map(i -> (String) i).toList());
        }
        problems.add(field(key) + ": must be a list of non-empty strings");
        return Optional.empty();
    }

    /** A free-form mapping kept as written (Helm values): its keys are not part of Lockstep's format. */
    Map<String, Object> freeMapping(String key) {
        Object v = raw(key);
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> m && m.keySet().stream().allMatch(k -> k instanceof String)) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, value) -> out.put((String) k, value));
            return out;
        }
        problems.add(field(key) + ": must be a mapping with string keys");
        return Map.of();
    }

    Optional<FieldReader> object(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Map<?, ?> m) {
            return Optional.of(new FieldReader(field(key), m, problems, named));
        }
        problems.add(field(key) + ": must be a mapping");
        return Optional.empty();
    }

    List<FieldReader> objects(String key) {
        Object v = raw(key);
        List<FieldReader> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof List<?> list)) {
            problems.add(field(key) + ": must be a list");
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof Map<?, ?> m) {
                out.add(new FieldReader(field(key) + "[" + i + "]", m, problems, named));
            } else {
                problems.add(field(key) + "[" + i + "]: must be a mapping");
            }
        }
        return out;
    }

    /** One of the enum's constants, written in lower case; the fallback when absent or not one of them. */
    <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        Optional<String> value = string(key);
        if (value.isEmpty()) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(value.get())) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        problem(key, "'" + value.get() + "' is not one of " + allowed);
        return fallback;
    }

    /** Reports keys that are not part of the format. */
    void rejectUnknown() {
        for (Object key : map.keySet()) {
            if (!accepted.contains(String.valueOf(key))) {
                problems.add(
                        field(String.valueOf(key)) + ": unknown field (allowed: " + String.join(", ", accepted) + ")");
            }
        }
    }

    void problem(String key, String message) {
        problems.add(field(key) + ": " + message);
    }
}
