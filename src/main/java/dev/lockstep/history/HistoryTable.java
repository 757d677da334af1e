package dev.lockstep.history;

import java.util.ArrayList;
import java.util.List;

/** Renders rows as a kubectl-style table: upper-case headers, columns padded to the widest cell, 3 spaces apart. */
public final class HistoryTable {
    private static final List<String> HEADERS =
            List.of("REVISION", "REPLICASET", "COMMIT", "SUBJECT", "AUTHOR", "APPLIED AT", "RESULT");

    private HistoryTable() {}

    public static String render(List<HistoryRow> rows) {
        return render(rows, "REPLICASET");
    }

    /**
     * @param revisionObject what each revision is: REPLICASET for a Deployment, CONTROLLERREVISION otherwise. A
     *                       RENDERED BY column appears only when a revision was rendered (kustomize), so plain files'
     *                       history reads as it always did.
     */
    public static String render(List<HistoryRow> rows, String revisionObject) {
        boolean rendered = rows.stream().anyMatch(r -> !r.renderedBy().isEmpty());
        List<List<String>> cells = new ArrayList<>();
        List<String> headers = new ArrayList<>(HEADERS);
        headers.set(1, revisionObject);
        if (rendered) {
            headers.add(headers.size() - 1, "RENDERED BY");
        }
        cells.add(headers);
        for (HistoryRow r : rows) {
            List<String> line = new ArrayList<>(List.of(
                    r.revision(), r.replicaSet(), r.commit(), r.subject(), r.author(), r.appliedAt(), r.result()));
            if (rendered) {
                line.add(line.size() - 1, r.renderedBy().isEmpty() ? "-" : r.renderedBy());
            }
            cells.add(line);
        }
        int[] widths = new int[headers.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : cells) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                l.append(i == line.size() - 1 ? line.get(i) : pad(line.get(i), widths[i] + 3));
            }
            out.append(l.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
