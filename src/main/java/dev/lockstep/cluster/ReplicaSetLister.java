package dev.lockstep.cluster;

import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.util.Tree;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the ReplicaSets the Deployment controller made; only when a template changes or a rollout ends. */
public interface ReplicaSetLister {
    /**
     * The ReplicaSets a Deployment owns, oldest first. {@code selector} is the Deployment's
     * {@code spec.selector.matchLabels} (every ReplicaSet it owns carries them), so the server can filter.
     */
    List<ReplicaSetInfo> ownedBy(String namespace, String deploymentName, Map<String, String> selector);

    /**
     * The ReplicaSets of these Deployments of a namespace, by owner name, oldest first: for many rollouts ending at once
     * (a bulk commit), in as few requests as their selectors allow, each returning only the ReplicaSets they select.
     *
     * @param selectors each Deployment's name and its {@link #selectorOf selector}
     */
    Map<String, List<ReplicaSetInfo>> byOwner(String namespace, Map<String, Map<String, String>> selectors);

    /** A Deployment's {@code spec.selector.matchLabels}, as plain strings. */
    static Map<String, String> selectorOf(Map<String, Object> deployment) {
        Map<String, String> out = new LinkedHashMap<>();
        Tree.map(deployment, "spec", "selector", "matchLabels").forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
