package dev.lockstep.render.kustomize;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kustomize of each configured command, found once per process: its version is asked when the daemon starts (or a
 * command first needs it), not at every render. An unusable one is remembered too, so every render says the same.
 */
public final class KustomizeTools {
    private final Map<Optional<List<String>>, Object> found = new ConcurrentHashMap<>();

    /** @throws KustomizeUnavailable when the command is missing, fails, or is older than v4 */
    public KustomizeTool tool(Optional<List<String>> configured) throws KustomizeUnavailable {
        Object result = found.computeIfAbsent(configured, c -> {
            try {
                return KustomizeTool.find(c);
            } catch (KustomizeUnavailable e) {
                return e;
            }
        });
        if (result instanceof KustomizeUnavailable e) {
            throw new KustomizeUnavailable(e.getMessage());
        }
        return (KustomizeTool) result;
    }
}
