package dev.lockstep.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The daemon's whole configuration, loaded and validated once at start.
 *
 * @param cacheDir          where git caches live (safe to delete: state lives in the cluster)
 * @param stateNamespace    namespace of the per-app inventory records and the leader Lease
 * @param httpPort          port of /metrics, /healthz, /readyz, /status and /webhook (0 = pick a free one)
 * @param webhookSecretFile file holding the push webhook's shared secret; empty disables the webhook
 * @param uiTokenFile       file holding the bearer token that protects the status page and its feeds; empty leaves
 *                          them open
 * @param sharding          false: one leader works and the other replicas stand by; true: every replica works on its
 *                          share of the apps (rendezvous hashing over the live replicas' Leases)
 * @param notifications     the {@code notifications:} list and {@code http.externalUrl}
 */
public record LockstepConfig(
        List<AppSpec> apps,
        Path cacheDir,
        String stateNamespace,
        int httpPort,
        Optional<Path> webhookSecretFile,
        int applyConcurrency,
        Optional<Path> uiTokenFile,
        boolean sharding,
        NotificationSettings notifications) {

    public LockstepConfig {
        apps = List.copyOf(apps);
    }

    /** Without notifications. */
    public LockstepConfig(
            List<AppSpec> apps,
            Path cacheDir,
            String stateNamespace,
            int httpPort,
            Optional<Path> webhookSecretFile,
            int applyConcurrency,
            Optional<Path> uiTokenFile,
            boolean sharding) {
        this(
                apps,
                cacheDir,
                stateNamespace,
                httpPort,
                webhookSecretFile,
                applyConcurrency,
                uiTokenFile,
                sharding,
                NotificationSettings.NONE);
    }

    /** Not sharded: one leader and hot standbys. */
    public LockstepConfig(
            List<AppSpec> apps,
            Path cacheDir,
            String stateNamespace,
            int httpPort,
            Optional<Path> webhookSecretFile,
            int applyConcurrency,
            Optional<Path> uiTokenFile) {
        this(apps, cacheDir, stateNamespace, httpPort, webhookSecretFile, applyConcurrency, uiTokenFile, false);
    }

    /** The same config with its git caches elsewhere (several replicas in one process, in tests). */
    public LockstepConfig withCacheDir(Path dir) {
        return new LockstepConfig(
                apps,
                dir,
                stateNamespace,
                httpPort,
                webhookSecretFile,
                applyConcurrency,
                uiTokenFile,
                sharding,
                notifications);
    }

    /**
     * The same config with other apps and every other setting kept: the one place that copies the top-level fields
     * (LockstepConfigTest fails when a new one is not carried over), so a narrowed config never drops the status
     * page's token or sharding.
     */
    public LockstepConfig withApps(List<AppSpec> newApps) {
        return new LockstepConfig(
                newApps,
                cacheDir,
                stateNamespace,
                httpPort,
                webhookSecretFile,
                applyConcurrency,
                uiTokenFile,
                sharding,
                notifications);
    }

    /** Only the app {@code name} (lockstep ... --app), every other setting kept; empty when no app has that name. */
    public Optional<LockstepConfig> onlyApp(String name) {
        return app(name).map(only -> withApps(List.of(only)));
    }

    /** Without a status page token: the page and its feeds are open. */
    public LockstepConfig(
            List<AppSpec> apps,
            Path cacheDir,
            String stateNamespace,
            int httpPort,
            Optional<Path> webhookSecretFile,
            int applyConcurrency) {
        this(apps, cacheDir, stateNamespace, httpPort, webhookSecretFile, applyConcurrency, Optional.empty());
    }

    public Optional<AppSpec> app(String name) {
        return apps.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
