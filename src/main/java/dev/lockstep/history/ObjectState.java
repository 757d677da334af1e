package dev.lockstep.history;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.rollout.RolloutStatus;
import java.util.Optional;

/**
 * A judged object of an app and its state now.
 *
 * @param state empty when the object is missing from the cluster
 */
public record ObjectState(ResourceKey key, Optional<RolloutStatus> state) {}
