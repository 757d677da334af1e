package dev.lockstep.manifest;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * YAML 1.2 (and so kubectl) takes a tab as separation inside a line: after a value, after {@code key:} or {@code
 * ---}, before a comment, between flow items. SnakeYAML follows YAML 1.1 there and refuses a tab wherever it looks
 * for the next token. Each such tab becomes a space, same column and same meaning, before the real parse.
 *
 * <p>Tabs in indentation stay (YAML 1.2 refuses them too, and so does the real parse). Tabs that are content, inside
 * any scalar (a quoted string, a literal block), are put back: a first parse of the spaced text finds every scalar's
 * range, and the original characters are restored there. Columns and lines never move, so error marks stay true.
 */
final class SeparatingTabs {
    private SeparatingTabs() {}

    static String asSpaces(String text, LoaderOptions options) {
        if (text.indexOf('\t') < 0) {
            return text;
        }
        int[] original = text.codePoints().toArray();
        int[] spaced = original.clone();
        boolean lineHasContent = false;
        boolean changed = false;
        for (int i = 0; i < spaced.length; i++) {
            int c = spaced[i];
            if (c == '\n' || c == '\r') {
                lineHasContent = false;
            } else if (c == '\t' && lineHasContent) {
                spaced[i] = ' ';
                changed = true;
            } else if (c != ' ' && c != '\t') {
                lineHasContent = true;
            }
        }
        if (!changed) {
            return text;
        }
        restoreScalars(original, spaced, options);
        return new String(spaced, 0, spaced.length);
    }

    /** Puts every scalar's own characters back; stops quietly at a syntax error, which the real parse reports. */
    private static void restoreScalars(int[] original, int[] spaced, LoaderOptions options) {
        Parser parser = new ParserImpl(new StreamReader(new String(spaced, 0, spaced.length)), options);
        try {
            while (!parser.checkEvent(Event.ID.StreamEnd)) {
                if (parser.getEvent() instanceof ScalarEvent scalar
                        && scalar.getStartMark() != null
                        && scalar.getEndMark() != null) {
                    int from = Math.max(0, scalar.getStartMark().getIndex());
                    if (isBlock(scalar)) {
                        // the header line (| or >, then separation) is not content: content starts on the next line
                        while (from < spaced.length && spaced[from] != '\n') {
                            from++;
                        }
                    }
                    int to = Math.min(spaced.length, scalar.getEndMark().getIndex());
                    if (from < to) {
                        System.arraycopy(original, from, spaced, from, to - from);
                    }
                }
            }
        } catch (RuntimeException syntaxOrLimit) {
            // the real parse meets the same problem at the same mark and reports it with its line
        }
    }

    private static boolean isBlock(ScalarEvent scalar) {
        return scalar.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
                || scalar.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED;
    }
}
