package dev.lockstep.notify;

import java.util.Optional;

/** One receiver type's contract: what it is sent for a notice, if anything (a commit status has no "reverted"). */
public interface Destination {
    /** {@code webhook}, {@code slack}, {@code github}, {@code gitlab} or {@code gitea}. */
    String type();

    Optional<Outgoing> request(Notice notice);
}
