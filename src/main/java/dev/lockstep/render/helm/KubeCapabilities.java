package dev.lockstep.render.helm;

import java.util.List;

/**
 * What {@code .Capabilities} tells a chart about the cluster it goes to: the server's version (as {@code helm template
 * --kube-version} takes it, e.g. {@code v1.20.2}) and the group/versions and group/version/Kinds its discovery serves. Empty
 * values mean unknown: Helm's own defaults apply. The caller reads both from
 * the live cluster's discovery.
 */
public record KubeCapabilities(String kubeVersion, List<String> apiVersions) {
    /** No cluster at hand: the chart sees Helm's built-in version and list. */
    public static final KubeCapabilities UNKNOWN = new KubeCapabilities("", List.of());

    public KubeCapabilities {
        kubeVersion = kubeVersion == null ? "" : kubeVersion;
        apiVersions = List.copyOf(apiVersions);
    }
}
