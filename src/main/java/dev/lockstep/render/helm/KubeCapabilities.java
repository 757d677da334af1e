package dev.lockstep.render.helm;

import java.util.List;

/**
 * What {@code .Capabilities} tells a chart about the cluster it goes to: the server's version (as {@code helm template
 * --kube-version} takes it, e.g. {@code v1.20.2}) and the group/versions its discovery serves. The caller reads both from
 * the live cluster's discovery.
 */
public record KubeCapabilities(String kubeVersion, List<String> apiVersions) {
    public KubeCapabilities {
        apiVersions = List.copyOf(apiVersions);
    }
}
