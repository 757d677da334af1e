package dev.lockstep.rollout;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.util.Tree;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How long Lockstep waits for a StatefulSet, DaemonSet or Job rollout before reporting it failed. Their controllers,
 * unlike the Deployment's, never give up on a pod that stays un-ready, so Lockstep keeps the deadline itself:
 * {@value MetadataKeys#PROGRESS_DEADLINE} on the object, else 600 s (a Deployment's default progressDeadlineSeconds)
 * for StatefulSets and DaemonSets and none for Jobs, whose {@code activeDeadlineSeconds} the Job controller enforces.
 */
public final class ProgressDeadline {
    static final Duration DEFAULT = Duration.ofSeconds(600);

    private ProgressDeadline() {}

    public static Optional<Duration> of(ResourceKey key, Map<String, Object> object) {
        Optional<Duration> set = Tree.string(object, "metadata", "annotations", MetadataKeys.PROGRESS_DEADLINE)
                .filter(s -> s.matches("\\d{1,9}"))
                .map(s -> Duration.ofSeconds(Long.parseLong(s)));
        if (set.isPresent()) {
            return set;
        }
        return ObjectReadiness.isJob(key) ? Optional.empty() : Optional.of(DEFAULT);
    }
}
