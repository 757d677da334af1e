package dev.lockstep.reconcile;

import dev.lockstep.cluster.AppRecordStore;
import dev.lockstep.cluster.ClusterWriter;
import dev.lockstep.cluster.LiveCache;
import dev.lockstep.cluster.ReplicaSets;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.git.GitSource;
import dev.lockstep.manifest.KindScopes;
import dev.lockstep.manifest.ManifestLoader;
import dev.lockstep.plan.Applier;
import dev.lockstep.plan.Planner;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds one {@link AppReconciler} per configured app around shared parts: one watch cache, one writer, one
 * pool for concurrent dry runs and applies. The daemon, {@code lockstep sync} and the tests all use it.
 */
public final class Engine implements AutoCloseable {
    public static final String FIELD_MANAGER = "lockstep";

    private final LiveCache cache;
    private final ExecutorService pool;
    private final List<AppReconciler> apps = new ArrayList<>();
    private final List<GitSource> sources = new ArrayList<>();

    public Engine(LockstepConfig config, KubernetesClient client, ReconcileListener listener, Clock clock) {
        this.cache = new LiveCache(client, Duration.ofSeconds(60));
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.applyConcurrency(), r -> {
            Thread t = new Thread(r, "apply-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ClusterWriter writer = new ClusterWriter(client, FIELD_MANAGER);
        ReplicaSets replicaSets = new ReplicaSets(client);
        Planner planner = new Planner(writer, cache, replicaSets, pool, clock);
        Applier applier = new Applier(writer, cache, pool);
        Pruner pruner = new Pruner(writer, cache);
        AppRecordStore store = new AppRecordStore(client, config.stateNamespace());
        ManifestLoader loader = new ManifestLoader();
        KindScopes scopes = new dev.lockstep.cluster.DiscoveredKindScopes(client, KindScopes.builtIn());
        for (AppSpec spec : config.apps()) {
            GitSource git = new GitSource(spec.repo(), config.cacheDir());
            sources.add(git);
            apps.add(new AppReconciler(spec, git, loader, scopes, planner, applier, pruner, store, cache,
                    writer, replicaSets, listener, clock));
        }
    }

    public List<AppReconciler> apps() {
        return List.copyOf(apps);
    }

    public LiveCache cache() {
        return cache;
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cache.close();
        sources.forEach(GitSource::close);
    }
}
