package dev.lockstep.git;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the line {@code git revert} writes. A label for humans only; template equality decides rollbacks. */
final class RevertMessage {

    // git writes "This reverts commit <sha>." (or ", reversing\nchanges made to <sha>." for merges).
    private static final Pattern REVERTS = Pattern.compile("^This reverts commit ([0-9a-f]{40})\\b", Pattern.MULTILINE);

    private RevertMessage() {}

    static Optional<String> revertedCommit(String message) {
        if (message == null) {
            return Optional.empty();
        }
        Matcher m = REVERTS.matcher(message);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
