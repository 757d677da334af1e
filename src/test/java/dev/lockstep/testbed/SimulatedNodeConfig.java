package dev.lockstep.testbed;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a {@link SimulatedNode} pretends to be.
 *
 * @param nodeName      name of the Node object it registers
 * @param readyDelay    time between binding a pod and reporting it Running (a stand-in for image pull + start)
 * @param unreadyImages pods with any container image matching this (whole-string match) run but never become
 *                      Ready; a namespace annotation {@value #UNREADY_IMAGES_ANNOTATION} overrides it per namespace
 */
public record SimulatedNodeConfig(String nodeName, Duration readyDelay, Pattern unreadyImages) {

    /** Namespace annotation holding a regex; it replaces {@link #unreadyImages} for pods in that namespace. */
    public static final String UNREADY_IMAGES_ANNOTATION = "lockstep.dev/sim-unready-images";

    /**
     * Namespace annotation holding a regex: a Job's pod, or a bare pod that never restarts, with a matching image ends
     * Failed (exit 1) instead of Succeeded. Other pods are not affected.
     */
    public static final String FAILING_IMAGES_ANNOTATION = "lockstep.dev/sim-failing-images";

    /** Label put on the simulated Node so tools and people can tell it from a real one. */
    public static final String SIMULATED_NODE_LABEL = "lockstep.dev/simulated-node";

    /** Matches no image: every pod becomes ready unless its namespace says otherwise. */
    public static final Pattern NO_IMAGES = Pattern.compile("(?!)");

    public SimulatedNodeConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(readyDelay, "readyDelay");
        Objects.requireNonNull(unreadyImages, "unreadyImages");
        if (nodeName.isBlank()) {
            throw new IllegalArgumentException("nodeName must not be blank");
        }
        if (readyDelay.isNegative()) {
            throw new IllegalArgumentException("readyDelay must not be negative: " + readyDelay);
        }
    }

    /** Node "sim-node-1", pods ready at once, no image kept un-ready. */
    public static SimulatedNodeConfig defaults() {
        return new SimulatedNodeConfig("sim-node-1", Duration.ZERO, NO_IMAGES);
    }

    public SimulatedNodeConfig withNodeName(String name) {
        return new SimulatedNodeConfig(name, readyDelay, unreadyImages);
    }

    public SimulatedNodeConfig withReadyDelay(Duration delay) {
        return new SimulatedNodeConfig(nodeName, delay, unreadyImages);
    }

    public SimulatedNodeConfig withUnreadyImages(Pattern pattern) {
        return new SimulatedNodeConfig(nodeName, readyDelay, pattern);
    }
}
