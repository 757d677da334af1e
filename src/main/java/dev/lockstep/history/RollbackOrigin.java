package dev.lockstep.history;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.Revision;
import java.util.Map;
import java.util.Optional;

/**
 * The revision a rollback commit went back to, and the commit that first made it, as Lockstep annotated the
 * revision it reused.
 *
 * @param commit the full sha of the commit that first made {@code toRevision}; empty when not known
 */
public record RollbackOrigin(long toRevision, Optional<String> commit) {
    /** Empty when the revision is not a rollback Lockstep made. */
    static Optional<RollbackOrigin> of(Map<String, String> annotations) {
        String to = annotations.get(MetadataKeys.ROLLBACK_REVISION);
        if (to == null || !to.matches("\\d+")) {
            return Optional.empty();
        }
        String original = annotations.getOrDefault(MetadataKeys.ROLLBACK_OF, "");
        return Optional.of(
                new RollbackOrigin(Long.parseLong(to), original.isEmpty() ? Optional.empty() : Optional.of(original)));
    }

    public Optional<String> shortSha() {
        return commit.map(Revision::shortSha);
    }
}
