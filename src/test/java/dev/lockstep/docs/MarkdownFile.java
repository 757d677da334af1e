package dev.lockstep.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One Markdown file as the docs tests read it: its links and its headings, outside fenced code blocks. */
record MarkdownFile(Path path, List<String> lines) {
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern LINK =
            Pattern.compile("!?\\[(?:[^\\[\\]]|\\[[^\\]]*])*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

    /** A link as written, with its line number (1-based). */
    record Link(int line, String target) {}

    /** A heading, its level and its text as written. */
    record Heading(int line, int level, String text) {}

    static MarkdownFile read(Path path) {
        try {
            return new MarkdownFile(path, Files.readAllLines(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each line outside fenced code blocks, by its 1-based number; code blocks read as empty lines. */
    List<String> prose() {
        List<String> out = new ArrayList<>();
        boolean fenced = false;
        for (String line : lines) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                out.add("");
            } else {
                out.add(fenced ? "" : line);
            }
        }
        return out;
    }

    List<Link> links() {
        List<Link> out = new ArrayList<>();
        List<String> prose = prose();
        for (int i = 0; i < prose.size(); i++) {
            // a link inside a code span is text, not a link
            Matcher m = LINK.matcher(CODE_SPAN.matcher(prose.get(i)).replaceAll(""));
            while (m.find()) {
                out.add(new Link(i + 1, m.group(1)));
            }
        }
        return out;
    }

    List<Heading> headings() {
        List<Heading> out = new ArrayList<>();
        List<String> prose = prose();
        for (int i = 0; i < prose.size(); i++) {
            Matcher m = HEADING.matcher(prose.get(i));
            if (m.matches()) {
                out.add(new Heading(i + 1, m.group(1).length(), m.group(2)));
            }
        }
        return out;
    }

    /** The anchors GitHub gives this file's headings; a repeated heading gets -1, -2, … */
    Set<String> anchors() {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Heading h : headings()) {
            String slug = slug(h.text());
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            out.add(n == 0 ? slug : slug + "-" + n);
        }
        return out;
    }

    /**
     * GitHub's slug of a heading: the text as rendered (links become their text, code spans and emphasis lose their
     * marks), lower-cased, every character that is not a letter, digit, space, '-' or '_' dropped, spaces to '-'.
     */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1").replaceAll("[`*]", "");
        StringBuilder out = new StringBuilder();
        text.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                out.appendCodePoint(c);
            } else if (c == ' ') {
                out.append('-');
            }
        });
        return out.toString();
    }
}
