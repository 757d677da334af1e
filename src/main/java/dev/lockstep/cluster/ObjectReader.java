package dev.lockstep.cluster;

import dev.lockstep.model.ResourceKey;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one live object: the watch cache ({@link LiveObjects}) for the daemon and its page, one GET each
 * ({@link KubeObjectReader}) for a command that runs once.
 */
public interface ObjectReader {
    /** The live object, if it exists (the watch cache sees only objects carrying Lockstep's managed-by label). */
    Optional<Map<String, Object>> get(String apiVersion, ResourceKey key);
}
