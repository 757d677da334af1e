package dev.lockstep.history;

/**
 * A past revision's pod template against the current revision's.
 *
 * @param unified the unified diff, like {@code kubectl diff}; "" when the templates are the same
 */
public record RevisionDiff(long revision, long current, String unified) {}
