package dev.lockstep.render;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Config {@code render.kustomize}.
 *
 * @param command the build command, the kustomization directory appended; empty means {@code kustomize build} when
 *                kustomize is on PATH, else {@code kubectl kustomize}
 * @param timeout how long one build may run before it is killed and the commit stalls
 */
public record KustomizeSpec(Optional<List<String>> command, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final KustomizeSpec DEFAULT = new KustomizeSpec(Optional.empty(), DEFAULT_TIMEOUT);

    public KustomizeSpec {
        command = command.map(List::copyOf);
    }
}
