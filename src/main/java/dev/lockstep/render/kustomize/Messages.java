package dev.lockstep.render.kustomize;

import java.util.List;

/** kustomize's own words, trimmed for a status line: its first lines, the temporary directory taken out. */
final class Messages {
    private static final int MAX_LINES = 12;
    private static final int MAX_CHARS = 2000;

    private Messages() {}

    static String trim(String stderr) {
        List<String> lines = stderr.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .map(l -> l.startsWith("Error: ") ? l.substring("Error: ".length()) : l)
                .toList();
        String joined = String.join(" | ", lines.subList(0, Math.min(MAX_LINES, lines.size())));
        if (lines.size() > MAX_LINES) {
            joined += " | (" + (lines.size() - MAX_LINES) + " more lines)";
        }
        return joined.length() <= MAX_CHARS ? joined : joined.substring(0, MAX_CHARS - 1) + "…";
    }

    /** Paths in the copy read as repository paths: {@code /cache/render/shop/1a2b/deploy/x} → {@code deploy/x}. */
    static String repositoryPaths(String text, java.nio.file.Path copy) {
        String root = copy.toAbsolutePath().toString();
        return text.replace(root + "/", "").replace(root, ".");
    }
}
