package dev.lockstep.testing;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.DecryptSpec;
import dev.lockstep.config.OnFailedRollout;
import dev.lockstep.config.OnManualRollback;
import dev.lockstep.config.TrustSpec;
import dev.lockstep.config.WriteBackSpec;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.model.ServiceAccountRef;
import dev.lockstep.render.RenderSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Apps for tests, with defaults for what a test does not care about: the product builds its apps from the config file
 * only ({@code ConfigLoader}), so these shortcuts live here and not on {@link AppSpec}.
 */
public final class AppSpecs {
    private AppSpecs() {}

    /**
     * An app with the defaults for everything after {@code allowMassPrune}: it never pushes (failed rollouts are
     * reported, manual rollbacks healed), writes with the daemon's own rights, checks no signatures, refuses history
     * rewrites and takes over only the default field managers. The {@code with…} methods change one part.
     */
    public static AppSpec of(
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
                Optional.empty(),
                OnFailedRollout.REPORT,
                OnManualRollback.HEAL,
                Optional.empty(),
                TrustSpec.DEFAULT,
                Set.of(),
                RenderSpec.DEFAULT,
                DecryptSpec.NONE);
    }

    /** The same app with other write-back settings. */
    public static AppSpec withWriteBack(
            AppSpec app, Optional<WriteBackSpec> spec, OnFailedRollout failed, OnManualRollback manual) {
        return edit(app, e -> {
            e.writeBack = spec;
            e.onFailedRollout = failed;
            e.onManualRollback = manual;
        });
    }

    /** The same app, applying as another ServiceAccount (or with the daemon's own rights when empty). */
    public static AppSpec withServiceAccount(AppSpec app, Optional<ServiceAccountRef> account) {
        return edit(app, e -> e.serviceAccount = account);
    }

    /** The same app rendered another way (kustomize, helm). */
    public static AppSpec withRender(AppSpec app, RenderSpec render) {
        return edit(app, e -> e.render = render);
    }

    /** The same app with other SOPS keys. */
    public static AppSpec withDecrypt(AppSpec app, DecryptSpec decrypt) {
        return edit(app, e -> e.decrypt = decrypt);
    }

    /** The same app with other trust settings. */
    public static AppSpec withTrust(AppSpec app, TrustSpec trust) {
        return edit(app, e -> e.trust = trust);
    }

    private static AppSpec edit(AppSpec app, Consumer<Edit> change) {
        Edit edit = new Edit(app);
        change.accept(edit);
        return edit.build();
    }

    /** A mutable copy, so each {@code with…} method names only what it changes. */
    private static final class Edit {
        final AppSpec app;
        Optional<WriteBackSpec> writeBack;
        OnFailedRollout onFailedRollout;
        OnManualRollback onManualRollback;
        Optional<ServiceAccountRef> serviceAccount;
        TrustSpec trust;
        RenderSpec render;
        DecryptSpec decrypt;

        Edit(AppSpec app) {
            this.app = app;
            writeBack = app.writeBack();
            onFailedRollout = app.onFailedRollout();
            onManualRollback = app.onManualRollback();
            serviceAccount = app.serviceAccount();
            trust = app.trust();
            render = app.render();
            decrypt = app.decrypt();
        }

        AppSpec build() {
            return new AppSpec(
                    app.name(),
                    app.repo(),
                    app.path(),
                    app.namespace(),
                    app.interval(),
                    app.prune(),
                    app.selfHeal(),
                    app.allowedNamespaces(),
                    app.allowedClusterKinds(),
                    app.maxPruneShare(),
                    app.allowMassPrune(),
                    writeBack,
                    onFailedRollout,
                    onManualRollback,
                    serviceAccount,
                    trust,
                    app.adoptFieldManagers(),
                    render,
                    decrypt);
        }
    }
}
