package dev.lockstep.util;

import java.util.ArrayList;
import java.util.List;

/** Walks an exception's cause chain, bounded so a cyclic or absurdly deep chain cannot loop. */
public final class Causes {
    private static final int MAX_DEPTH = 16;

    private Causes() {}

    /** The exception and its causes, outermost first. */
    public static List<Throwable> chain(Throwable error) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable t = error; t != null && out.size() < MAX_DEPTH && !out.contains(t); t = t.getCause()) {
            out.add(t);
        }
        return out;
    }

    /** The innermost cause. */
    public static Throwable root(Throwable error) {
        List<Throwable> chain = chain(error);
        return chain.get(chain.size() - 1);
    }

    /** The innermost cause's message, or its class name when it has none. */
    public static String rootMessage(Throwable error) {
        Throwable root = root(error);
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
