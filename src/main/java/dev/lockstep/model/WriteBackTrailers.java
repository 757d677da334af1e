package dev.lockstep.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The git trailers that mark Lockstep's own commits, so people and other tools can recognise them:
 *
 * <pre>
 * Lockstep-Action: revert-failed-rollout
 * Lockstep-Reason: Deployment hello/hello-app revision 3: deployment "hello-app" exceeded its progress deadline
 * Lockstep-App: hello
 * </pre>
 */
public final class WriteBackTrailers {
    public static final String ACTION = "Lockstep-Action";
    public static final String REASON = "Lockstep-Reason";
    public static final String APP = "Lockstep-App";
    private static final Pattern TRAILER = Pattern.compile("^(Lockstep-[A-Za-z]+): (.*)$", Pattern.MULTILINE);

    private WriteBackTrailers() {}

    /** The trailer block, one line each, values on one line. */
    public static String of(String action, String reason, String app) {
        return ACTION + ": " + action + "\n" + REASON + ": " + oneLine(reason) + "\n" + APP + ": " + app + "\n";
    }

    /** Lockstep's trailers in a commit message, by name; empty for anyone else's commit. */
    public static Map<String, String> in(String message) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = TRAILER.matcher(message == null ? "" : message);
        while (m.find()) {
            out.put(m.group(1), m.group(2).strip());
        }
        return out;
    }

    /** The action of a commit Lockstep made, e.g. {@link WriteBack#REVERT_FAILED_ROLLOUT}; empty for anyone else's. */
    public static Optional<String> action(Revision commit) {
        return Optional.ofNullable(in(commit.message()).get(ACTION));
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\n\\s*", " ").strip();
    }
}
