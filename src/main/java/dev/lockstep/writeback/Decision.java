package dev.lockstep.writeback;

import dev.lockstep.model.WriteBack;
import java.util.Optional;

/**
 * What Lockstep decided about writing to git, to be kept in the app's record and reported.
 *
 * @param summary one line for the log, the app's status and the Event
 */
public record Decision(WriteBack recorded, String summary) {
    /** The commit pushed, which is now the branch head; empty when nothing was pushed. */
    public Optional<String> pushed() {
        return recorded.wasPushed() ? Optional.of(recorded.pushed()) : Optional.empty();
    }
}
