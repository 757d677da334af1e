package dev.lockstep.config;

import dev.lockstep.git.RepoSpec;
import dev.lockstep.manifest.NamespacePolicy;
import dev.lockstep.model.ServiceAccountRef;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

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

    /**
     * An app with the defaults for everything after {@code allowMassPrune}: it never pushes (failed rollouts are
     * reported, manual rollbacks healed), writes with the daemon's own rights, checks no signatures, refuses history
     * rewrites and takes over only the default field managers. The {@code with…} methods change one part.
     */
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
                OnManualRollback.HEAL,
                Optional.empty(),
                TrustSpec.DEFAULT,
                Set.of());
    }

    public NamespacePolicy namespacePolicy() {
        return new NamespacePolicy(namespace, allowedNamespaces, allowedClusterKinds);
    }

    /** The same app with other write-back settings. */
    public AppSpec withWriteBack(Optional<WriteBackSpec> spec, OnFailedRollout failed, OnManualRollback manual) {
        return edit(e -> {
            e.writeBack = spec;
            e.onFailedRollout = failed;
            e.onManualRollback = manual;
        });
    }

    /** The same app, applying as another ServiceAccount (or with the daemon's own rights when empty). */
    public AppSpec withServiceAccount(Optional<ServiceAccountRef> account) {
        return edit(e -> e.serviceAccount = account);
    }

    /** The same app with other trust settings. */
    public AppSpec withTrust(TrustSpec newTrust) {
        return edit(e -> e.trust = newTrust);
    }

    private AppSpec edit(Consumer<Edit> change) {
        Edit edit = new Edit(this);
        change.accept(edit);
        return edit.build();
    }

    /** A mutable copy, so each {@code with…} method names only what it changes. */
    private static final class Edit {
        String name;
        RepoSpec repo;
        String path;
        String namespace;
        Duration interval;
        boolean prune;
        boolean selfHeal;
        Set<String> allowedNamespaces;
        Set<String> allowedClusterKinds;
        double maxPruneShare;
        boolean allowMassPrune;
        Optional<WriteBackSpec> writeBack;
        OnFailedRollout onFailedRollout;
        OnManualRollback onManualRollback;
        Optional<ServiceAccountRef> serviceAccount;
        TrustSpec trust;
        Set<String> adoptFieldManagers;

        Edit(AppSpec app) {
            name = app.name;
            repo = app.repo;
            path = app.path;
            namespace = app.namespace;
            interval = app.interval;
            prune = app.prune;
            selfHeal = app.selfHeal;
            allowedNamespaces = app.allowedNamespaces;
            allowedClusterKinds = app.allowedClusterKinds;
            maxPruneShare = app.maxPruneShare;
            allowMassPrune = app.allowMassPrune;
            writeBack = app.writeBack;
            onFailedRollout = app.onFailedRollout;
            onManualRollback = app.onManualRollback;
            serviceAccount = app.serviceAccount;
            trust = app.trust;
            adoptFieldManagers = app.adoptFieldManagers;
        }

        AppSpec build() {
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
                    adoptFieldManagers);
        }
    }
}
