package dev.lockstep.reconcile.engine;

import dev.lockstep.cluster.ClusterPort;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSources;
import dev.lockstep.manifest.ManifestLoader;
import dev.lockstep.reconcile.pass.PassSteps;
import dev.lockstep.reconcile.pass.SharedHead;
import dev.lockstep.reconcile.report.NotificationListener;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.render.Renderer;
import dev.lockstep.render.helm.KubeCapabilities;
import dev.lockstep.render.kustomize.KustomizeRenderer;
import dev.lockstep.render.kustomize.KustomizeTools;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds one {@link AppReconciler} per configured app around shared parts: one cluster port (one watch cache), one
 * pool for concurrent dry runs and applies. An app with a {@code serviceAccountName} writes through that account only.
 * The daemon, {@code lockstep sync}/{@code diff} and the tests all use it. Closing it closes the cluster port it was
 * given.
 *
 * <p>Apps that follow the same repository url and branch with the same credentials share one {@link GitSource} and one
 * {@link SharedHead}: one ls-remote per interval and at most one fetch per new commit for all of them, not one per app.
 */
public final class Engine implements AutoCloseable {
    private final ClusterPort cluster;
    private final ExecutorService pool;
    private final List<AppReconciler> apps = new ArrayList<>();
    private final GitSources sources;

    /**
     * The cluster port one app works through: the shared one, or (sharded) the same one with its writes fenced on that
     * app's own Lease.
     */
    @FunctionalInterface
    public interface AppPorts {
        AppPorts SHARED = (app, cluster) -> cluster;

        ClusterPort of(String app, ClusterPort cluster);
    }

    public Engine(LockstepConfig config, ClusterPort cluster, ReconcileListener listener, Clock clock) {
        this(config, cluster, listener, clock, AppPorts.SHARED);
    }

    public Engine(LockstepConfig config, ClusterPort cluster, ReconcileListener listener, Clock clock, AppPorts ports) {
        this(config, cluster, listener, clock, ports, NotificationListener.off());
    }

    /** @param notifications one of {@code listener}'s too, settled by each app after its passes and rollouts */
    public Engine(
            LockstepConfig config,
            ClusterPort cluster,
            ReconcileListener listener,
            Clock clock,
            AppPorts ports,
            NotificationListener notifications) {
        this.cluster = cluster;
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor applyPool =
                (ThreadPoolExecutor) Executors.newFixedThreadPool(config.applyConcurrency(), r -> {
                    Thread t = new Thread(r, "apply-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        // all at once, so the thread count is flat from the first pass (the soak checks it)
        applyPool.prestartAllCoreThreads();
        this.pool = applyPool;
        this.sources = new GitSources(config.cacheDir());
        Map<GitSource, SharedHead> heads = new IdentityHashMap<>();
        ManifestLoader loader = new ManifestLoader();
        Renderer renderer = new Renderer(
                new KustomizeRenderer(config.cacheDir().resolve("render"), new KustomizeTools()),
                clock,
                config.cacheDir().resolve("render-helm"),
                () -> new KubeCapabilities(
                        cluster.scopes().serverVersion().orElse(""),
                        cluster.scopes().servedApiVersions()));
        PassSteps.Shared daemonRights = PassSteps.Shared.of(cluster, cluster.objects(), loader, renderer, pool, clock);
        for (AppSpec spec : config.apps()) {
            // an app with a ServiceAccount writes only as that account: its own planner, applier and pruner
            ClusterPort port = ports.of(spec.name(), cluster);
            PassSteps.Shared shared = spec.serviceAccount()
                    .map(account ->
                            PassSteps.Shared.of(port, port.objects().as(account), loader, renderer, pool, clock))
                    .orElse(
                            port == cluster
                                    ? daemonRights
                                    : PassSteps.Shared.of(port, port.objects(), loader, renderer, pool, clock));
            SharedHead head = heads.computeIfAbsent(sources.of(spec.repo()), SharedHead::new);
            apps.add(new AppReconciler(spec, PassSteps.of(spec, head, shared), shared, listener, notifications));
        }
    }

    public ClusterPort cluster() {
        return cluster;
    }

    public List<AppReconciler> apps() {
        return List.copyOf(apps);
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cluster.close();
        sources.close();
    }
}
