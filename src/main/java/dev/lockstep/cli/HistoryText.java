package dev.lockstep.cli;

import dev.lockstep.history.HistoryRow;
import dev.lockstep.history.HistoryTable;
import dev.lockstep.history.WorkloadHistory;
import java.util.Locale;

/** A workload's history as {@code lockstep history} prints it: a heading line, then the table (or why there is none). */
final class HistoryText {
    private HistoryText() {}

    static String of(String app, WorkloadHistory history) {
        String kind = history.workload().kind().toLowerCase(Locale.ROOT);
        String name = history.workload().namespace() + "/" + history.workload().name();
        String state = history.now().state().display();
        if (history instanceof WorkloadHistory.Timeline t) {
            return kind + " " + name + " (app " + app + ", at revision "
                    + t.now().revision() + ": " + state + ")\n"
                    + HistoryTable.render(
                            t.revisions().stream().map(HistoryRow::of).toList(),
                            t.revisionKind().toUpperCase(Locale.ROOT));
        }
        return kind + " " + name + " (app " + app + ": " + state + ", "
                + history.now().message() + ")\n"
                + "no revision history: a Job's pod template cannot change; a new Job is a new object\n";
    }
}
