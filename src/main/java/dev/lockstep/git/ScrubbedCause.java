package dev.lockstep.git;

import dev.lockstep.util.Causes;
import java.util.Collection;
import java.util.List;

/**
 * A copy of an exception chain with every message scrubbed, keeping class names and stack traces for
 * debugging. Lets us attach a cause to {@link GitSourceException} without leaking what JGit put in its text.
 */
final class ScrubbedCause extends Exception {

    private ScrubbedCause(String message, Throwable cause) {
        super(message, cause);
    }

    /** Copies the chain as {@link Causes#chain} walks it: bounded, and a cycle is copied once. */
    static ScrubbedCause of(Throwable original, Collection<String> secrets) {
        List<Throwable> chain = Causes.chain(original);
        ScrubbedCause copy = null;
        for (int i = chain.size() - 1; i >= 0; i--) { // innermost first, so each copy gets its copied cause
            copy = copy(chain.get(i), copy, secrets);
        }
        return copy;
    }

    private static ScrubbedCause copy(Throwable t, ScrubbedCause cause, Collection<String> secrets) {
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
