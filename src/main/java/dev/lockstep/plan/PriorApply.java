package dev.lockstep.plan;

import dev.lockstep.model.ResourceKey;
import java.util.Map;

/**
 * What this process last applied, so that a new commit which leaves an object's body exactly as it was does not
 * need a dry run for it: the server already validated that body, and the live object still shows what it answered.
 */
public interface PriorApply {
    /** Nothing remembered (a fresh daemon, the CLI): every object is dry-run. */
    PriorApply NONE = (key, body, live) -> false;

    /** True when {@code body} is the one applied last and the live object still matches what the server made of it. */
    boolean unchanged(ResourceKey key, Map<String, Object> body, Map<String, Object> live);
}
