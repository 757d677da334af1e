package dev.lockstep.plan;

import dev.lockstep.model.ResourceKey;

/** A managed object whose live state left what Lockstep applied. {@code field} is a path, never a value. */
public record Drift(ResourceKey key, String field) {
    public static final String DELETED = "(object deleted)";

    /** Whether the change touches the pod template or removed the object: drift even while a rollout is followed. */
    public boolean affectsTemplateOrExistence() {
        return field.startsWith("spec.template") || field.equals(DELETED);
    }
}
