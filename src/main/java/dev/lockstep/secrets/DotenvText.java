package dev.lockstep.secrets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * sops' dotenv form: {@code KEY=value} lines, {@code \n} escaped in values, {@code #} lines are comments, and the
 * metadata flattened into {@code sops_…} keys ({@code sops_pgp__list_0__map_enc}).
 */
final class DotenvText {
    static final String METADATA_PREFIX = "sops_";
    private static final String LIST = "__list_";
    private static final String MAP = "__map_";

    private DotenvText() {}

    /** The file's entries in order, comments left out; metadata keys stay in, for {@link #metadata}. */
    static Map<String, Object> parse(String text) {
        Map<String, Object> entries = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not KEY=value");
            }
            String key = line.substring(0, eq);
            if (entries.containsKey(key)) {
                throw new IllegalArgumentException("line " + (i + 1) + " repeats a key");
            }
            entries.put(key, line.substring(eq + 1).replace("\\n", "\n"));
        }
        return entries;
    }

    static String write(Map<String, Object> entries) {
        StringBuilder out = new StringBuilder();
        entries.forEach((k, v) -> out.append(k)
                .append('=')
                .append(String.valueOf(v).replace("\n", "\\n"))
                .append('\n'));
        return out.toString();
    }

    /** Takes the {@code sops_…} keys out of {@code entries} and rebuilds the metadata tree from them. */
    static Map<String, Object> metadata(Map<String, Object> entries) {
        Map<String, Object> root = new LinkedHashMap<>();
        var it = entries.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().startsWith(METADATA_PREFIX)) {
                place(root, e.getKey().substring(METADATA_PREFIX.length()), e.getValue());
                it.remove();
            }
        }
        return lists(root);
    }

    @SuppressWarnings("unchecked")
    private static void place(Map<String, Object> root, String flat, Object value) {
        List<String> tokens = tokens(flat);
        Map<Object, Object> node = (Map<Object, Object>) (Map<?, ?>) root;
        for (int i = 0; i < tokens.size(); i++) {
            Object key = token(tokens.get(i));
            if (i == tokens.size() - 1) {
                node.put(key, value);
            } else {
                boolean nextIsList = tokens.get(i + 1).startsWith(LIST);
                node = (Map<Object, Object>) node.computeIfAbsent(
                        key, k -> nextIsList ? new TreeMap<Integer, Object>() : new LinkedHashMap<>());
            }
        }
    }

    private static Object token(String token) {
        if (token.startsWith(LIST)) {
            return Integer.parseInt(token.substring(LIST.length()));
        }
        return token.startsWith(MAP) ? token.substring(MAP.length()) : token;
    }

    /** "pgp__list_0__map_enc" → ["pgp", "__list_0", "__map_enc"]. */
    private static List<String> tokens(String flat) {
        List<String> tokens = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < flat.length()) {
            if (i > start && (flat.startsWith(LIST, i) || flat.startsWith(MAP, i))) {
                tokens.add(flat.substring(start, i));
                start = i;
            }
            i++;
        }
        tokens.add(flat.substring(start));
        return tokens;
    }

    /** Index-keyed maps (from {@code __list_N}) become lists. */
    @SuppressWarnings("unchecked")
    private static <T> T lists(T node) {
        if (node instanceof TreeMap<?, ?> indexed) {
            List<Object> list = new ArrayList<>();
            indexed.values().forEach(v -> list.add(lists(v)));
            return (T) list;
        }
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, lists(v)));
            return (T) out;
        }
        return node;
    }
}
