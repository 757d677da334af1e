package dev.lockstep.plan;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import java.util.Optional;

/**
 * A managed object whose live state left what Lockstep applied. {@code field} is a path, never a value.
 *
 * @param takenBy the app its {@code lockstep.dev/app} label names now, when that is another app: not drift to heal but
 *     a conflict between two owners, to report (one owner per object)
 */
public record Drift(ResourceKey key, String field, Optional<String> takenBy) {
    public static final String DELETED = "(object deleted)";

    /** A change of the object itself, with no other app claiming it. */
    public Drift(ResourceKey key, String field) {
        this(key, field, Optional.empty());
    }

    /** The object's owner label names {@code owner}, another app. */
    public static Drift taken(ResourceKey key, String owner) {
        return new Drift(key, "metadata.labels." + MetadataKeys.APP, Optional.of(owner));
    }

    public boolean taken() {
        return takenBy.isPresent();
    }

    /** Whether the change touches the pod template or removed the object: drift even while a rollout is followed. */
    public boolean affectsTemplateOrExistence() {
        return field.startsWith("spec.template") || field.equals(DELETED);
    }
}
