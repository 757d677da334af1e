package dev.lockstep.testbed;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which pods never become ready: the namespace annotation
 * {@value SimulatedNodeConfig#UNREADY_IMAGES_ANNOTATION} when present, else the node's configured pattern.
 * Per-namespace so parallel tests on one shared node cannot affect each other.
 */
final class UnreadyImagePolicy {

    private static final Logger log = LoggerFactory.getLogger(UnreadyImagePolicy.class);

    private final Pattern fallback;
    private final Map<String, Optional<Pattern>> compiled = new ConcurrentHashMap<>();

    UnreadyImagePolicy(Pattern fallback) {
        this.fallback = fallback;
    }

    /** @param namespaceAnnotation the annotation value, or null when the namespace has none */
    boolean keepsUnready(Pod pod, String namespaceAnnotation) {
        Pattern pattern = namespaceAnnotation == null
                ? fallback
                : compiled.computeIfAbsent(namespaceAnnotation, UnreadyImagePolicy::compile)
                        .orElse(fallback);
        return pod.getSpec().getContainers().stream()
                .map(Container::getImage)
                .anyMatch(image -> image != null && pattern.matcher(image).matches());
    }

    private static Optional<Pattern> compile(String regex) {
        try {
            return Optional.of(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            log.warn(
                    "ignoring namespace annotation {}: not a regex: {}",
                    SimulatedNodeConfig.UNREADY_IMAGES_ANNOTATION,
                    e.getMessage());
            return Optional.empty();
        }
    }
}
