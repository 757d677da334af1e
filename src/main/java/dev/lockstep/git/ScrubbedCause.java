package dev.lockstep.git;

import java.util.Collection;

/**
 * A copy of an exception chain with every message scrubbed, keeping class names and stack traces for
 * debugging. Lets us attach a cause to {@link GitSourceException} without leaking what JGit put in its text.
 */
final class ScrubbedCause extends Exception {

    private ScrubbedCause(String message, Throwable cause) {
        super(message, cause);
    }

    static ScrubbedCause of(Throwable original, Collection<String> secrets) {
        return copy(original, secrets, 0);
    }

    private static ScrubbedCause copy(Throwable t, Collection<String> secrets, int depth) {
        Throwable next = t.getCause();
        ScrubbedCause cause = next != null && next != t && depth < 16 ? copy(next, secrets, depth + 1) : null;
        String text = t.getClass().getName() + ": " + UrlScrubber.scrub(String.valueOf(t.getMessage()), secrets);
        ScrubbedCause copy = new ScrubbedCause(text, cause);
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // the original's trace is set explicitly
    }
}
