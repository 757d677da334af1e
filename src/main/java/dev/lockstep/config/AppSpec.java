package dev.lockstep.config;

import dev.lockstep.git.RepoSpec;
import dev.lockstep.manifest.NamespacePolicy;
import dev.lockstep.model.ServiceAccountRef;
import dev.lockstep.render.RenderSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * One application: where its manifests live in git and what it may do in the cluster.
 *
 * @param maxPruneShare  a prune that would delete more than this share of the app's inventory is refused
 * @param allowMassPrune explicit opt-in to prunes above {@code maxPruneShare}
 * @param writeBack      present when Lockstep may push commits to the branch
 * @param serviceAccount present when every dry run, apply and prune of this app is made as that ServiceAccount
 *                       (impersonated), so its RBAC confines what the app's manifests can touch
 * @param trust          signature checks and whether a history rewrite may be applied
 * @param adoptFieldManagers field managers whose fields Lockstep takes over on apply, besides
 *                       {@code kubectl-client-side-apply} and {@code before-first-apply} (config {@code adoptFieldManagers})
 * @param render         how the path becomes objects: plain files, kustomize or helm (config {@code render},
 *                       {@code allowRemoteBases})
 * @param decrypt        the keys that decrypt SOPS documents (config {@code decrypt.sops})
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
        boolean allowMassPrune,
        Optional<WriteBackSpec> writeBack,
        OnFailedRollout onFailedRollout,
        OnManualRollback onManualRollback,
        Optional<ServiceAccountRef> serviceAccount,
        TrustSpec trust,
        Set<String> adoptFieldManagers,
        RenderSpec render,
        DecryptSpec decrypt) {

    public AppSpec {
        allowedNamespaces = Set.copyOf(allowedNamespaces);
        allowedClusterKinds = Set.copyOf(allowedClusterKinds);
        adoptFieldManagers = Set.copyOf(adoptFieldManagers);
    }

    public NamespacePolicy namespacePolicy() {
        return new NamespacePolicy(namespace, allowedNamespaces, allowedClusterKinds);
    }
}
