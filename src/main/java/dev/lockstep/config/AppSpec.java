package dev.lockstep.config;

import dev.lockstep.git.RepoSpec;
import dev.lockstep.manifest.NamespacePolicy;
import java.time.Duration;
import java.util.Set;

/**
 * One application: where its manifests live in git and what it may do in the cluster.
 *
 * @param maxPruneShare  a prune that would delete more than this share of the app's inventory is refused
 * @param allowMassPrune explicit opt-in to prunes above {@code maxPruneShare}
 */
public record AppSpec(
        String name,
        RepoSpec repo,
        String path,
        String namespace,
        Duration interval,
        boolean prune,
        boolean selfHeal,
        Set<String> allowedNamespaces,
        Set<String> allowedClusterKinds,
        double maxPruneShare,
        boolean allowMassPrune) {

    public AppSpec {
        allowedNamespaces = Set.copyOf(allowedNamespaces);
        allowedClusterKinds = Set.copyOf(allowedClusterKinds);
    }

    public NamespacePolicy namespacePolicy() {
        return new NamespacePolicy(namespace, allowedNamespaces, allowedClusterKinds);
    }
}
