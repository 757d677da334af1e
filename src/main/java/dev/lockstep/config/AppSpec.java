package dev.lockstep.config;

import dev.lockstep.git.RepoSpec;
import dev.lockstep.manifest.NamespacePolicy;
import dev.lockstep.model.ServiceAccountRef;
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
        Set<String> adoptFieldManagers) {

    public AppSpec {
        allowedNamespaces = Set.copyOf(allowedNamespaces);
        allowedClusterKinds = Set.copyOf(allowedClusterKinds);
        adoptFieldManagers = Set.copyOf(adoptFieldManagers);
    }

    /** An app that takes over only the default field managers. */
    public AppSpec(
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
            TrustSpec trust) {
        this(
                name,
                repo,
                path,
                namespace,
                interval,
                prune,
                selfHeal,
                allowedNamespaces,
                allowedClusterKinds,
                maxPruneShare,
                allowMassPrune,
                writeBack,
                onFailedRollout,
                onManualRollback,
                serviceAccount,
                trust,
                Set.of());
    }

    /** An app with no signature checks that refuses history rewrites (the defaults). */
    public AppSpec(
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
            Optional<ServiceAccountRef> serviceAccount) {
        this(
                name,
                repo,
                path,
                namespace,
                interval,
                prune,
                selfHeal,
                allowedNamespaces,
                allowedClusterKinds,
                maxPruneShare,
                allowMassPrune,
                writeBack,
                onFailedRollout,
                onManualRollback,
                serviceAccount,
                TrustSpec.DEFAULT);
    }

    /** An app that writes with the daemon's own rights (no impersonation). */
    public AppSpec(
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
            OnManualRollback onManualRollback) {
        this(
                name,
                repo,
                path,
                namespace,
                interval,
                prune,
                selfHeal,
                allowedNamespaces,
                allowedClusterKinds,
                maxPruneShare,
                allowMassPrune,
                writeBack,
                onFailedRollout,
                onManualRollback,
                Optional.empty());
    }

    /** An app that never pushes: failed rollouts are reported, manual rollbacks healed. */
    public AppSpec(
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
        this(
                name,
                repo,
                path,
                namespace,
                interval,
                prune,
                selfHeal,
                allowedNamespaces,
                allowedClusterKinds,
                maxPruneShare,
                allowMassPrune,
                Optional.empty(),
                OnFailedRollout.REPORT,
                OnManualRollback.HEAL);
    }

    /** The same app with other write-back settings. */
    public AppSpec withWriteBack(Optional<WriteBackSpec> spec, OnFailedRollout failed, OnManualRollback manual) {
        return new AppSpec(
                name,
                repo,
                path,
                namespace,
                interval,
                prune,
                selfHeal,
                allowedNamespaces,
                allowedClusterKinds,
                maxPruneShare,
                allowMassPrune,
                spec,
                failed,
                manual,
                serviceAccount,
                trust,
                adoptFieldManagers);
    }

    /** The same app, applying as another ServiceAccount (or with the daemon's own rights when empty). */
    public AppSpec withServiceAccount(Optional<ServiceAccountRef> account) {
        return new AppSpec(
                name,
                repo,
                path,
                namespace,
                interval,
                prune,
                selfHeal,
                allowedNamespaces,
                allowedClusterKinds,
                maxPruneShare,
                allowMassPrune,
                writeBack,
                onFailedRollout,
                onManualRollback,
                account,
                trust,
                adoptFieldManagers);
    }

    /** The same app with other trust settings. */
    public AppSpec withTrust(TrustSpec newTrust) {
        return new AppSpec(
                name,
                repo,
                path,
                namespace,
                interval,
                prune,
                selfHeal,
                allowedNamespaces,
                allowedClusterKinds,
                maxPruneShare,
                allowMassPrune,
                writeBack,
                onFailedRollout,
                onManualRollback,
                serviceAccount,
                newTrust,
                adoptFieldManagers);
    }

    /** The same app with {@code allowMassPrune} set as given. */
    public AppSpec withAllowMassPrune(boolean allow) {
        return new AppSpec(
                name,
                repo,
                path,
                namespace,
                interval,
                prune,
                selfHeal,
                allowedNamespaces,
                allowedClusterKinds,
                maxPruneShare,
                allow,
                writeBack,
                onFailedRollout,
                onManualRollback,
                serviceAccount,
                trust,
                adoptFieldManagers);
    }

    public NamespacePolicy namespacePolicy() {
        return new NamespacePolicy(namespace, allowedNamespaces, allowedClusterKinds);
    }

    /** The same app taking over the fields of these managers too. */
    public AppSpec withAdoptFieldManagers(Set<String> managers) {
        return new AppSpec(
                name,
                repo,
                path,
                namespace,
                interval,
                prune,
                selfHeal,
                allowedNamespaces,
                allowedClusterKinds,
                maxPruneShare,
                allowMassPrune,
                writeBack,
                onFailedRollout,
                onManualRollback,
                serviceAccount,
                trust,
                managers);
    }
}
