package dev.lockstep.history;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.rollout.RolloutStatus;
import java.util.Optional;

/**
 * A judged object of an app and its state now.
 *
 * @param state      empty when the object is missing from the cluster
 * @param renderedBy the render engine of the commit the object is at ({@code kustomize v5.5.0}); "" for plain files
 */
public record ObjectState(ResourceKey key, Optional<RolloutStatus> state, String renderedBy) {
    public ObjectState(ResourceKey key, Optional<RolloutStatus> state) {
        this(key, state, "");
    }
}
