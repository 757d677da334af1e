package dev.lockstep.reconcile.pass;

import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;

/**
 * The branch head of one shared {@link GitSource}, asked of the remote once for all the apps that follow it.
 *
 * <p>An app reuses the head another app learned <em>after this app's previous pass started</em>, so no app ever works
 * from a head older than its own previous pass, and 100 apps on one branch send about one ls-remote per interval
 * instead of 100. An app never reuses a head it learned itself: its next pass asks again, which keeps a lone app (and
 * every test that pushes and runs a pass) exactly as before. The order of events is a counter, not a clock, so the
 * rule holds with any clock.
 */
public final class SharedHead {
    private final GitSource git;
    private long events;
    private Learned last;

    private record Learned(String head, String app, long at) {}

    public SharedHead(GitSource git) {
        this.git = git;
    }

    GitSource git() {
        return git;
    }

    /** A point in this head's order of events: an app marks the start of each of its passes. */
    synchronized long mark() {
        return ++events;
    }

    /**
     * The head for {@code app}: the one another app learned after {@code since}, or a fresh ls-remote. Holding the lock
     * while asking makes apps that start together wait for one answer instead of each asking.
     */
    synchronized String resolve(String app, long since) throws GitSourceException {
        if (last != null && !last.app().equals(app) && last.at() > since) {
            return last.head();
        }
        String head = git.remoteHead();
        last = new Learned(head, app, ++events);
        return head;
    }

    /** The next pass of any app asks the remote again (a webhook said the branch moved). */
    public synchronized void expire() {
        last = null;
    }
}
