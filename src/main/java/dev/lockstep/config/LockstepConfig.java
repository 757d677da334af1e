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
 */
public record LockstepConfig(
        List<AppSpec> apps,
        Path cacheDir,
        String stateNamespace,
        int httpPort,
        Optional<Path> webhookSecretFile,
        int applyConcurrency) {

    public LockstepConfig {
        apps = List.copyOf(apps);
    }

    public Optional<AppSpec> app(String name) {
        return apps.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
