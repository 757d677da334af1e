package dev.lockstep.testing;

import dev.lockstep.cluster.KubeCluster;
import dev.lockstep.cluster.KubeEventPoster;
import dev.lockstep.config.AppSpec;
import dev.lockstep.metrics.MetricsListener;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.engine.Engine;
import dev.lockstep.reconcile.report.EventReporter;
import dev.lockstep.reconcile.report.LoggingListener;
import dev.lockstep.reconcile.report.ReconcileListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * An Engine for one app, wired to report as the daemon does: Events in the app's namespace, metrics in a registry the
 * test reads, and log lines. A restart keeps the registry, so counts add up across it.
 */
public final class ObservedEngine implements AutoCloseable {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private KubeEventPoster events;
    private Engine engine;

    /** Starts the engine for {@code app}, closing the one started before; returns the app's reconciler. */
    public AppReconciler start(TestCluster cluster, AppSpec app, Path cacheDir) {
        if (engine != null) {
            engine.close();
        }
        if (events == null) {
            events = new KubeEventPoster(cluster.client(), Clock.systemUTC());
        }
        ReconcileListener listener = ReconcileListener.all(List.of(
                new EventReporter(events, cluster.namespace()), new MetricsListener(registry), new LoggingListener()));
        var config = TestApps.config(app, cacheDir);
        engine = new Engine(
                config, KubeCluster.connect(cluster.client(), config.stateNamespace()), listener, Clock.systemUTC());
        return engine.apps().get(0);
    }

    public SimpleMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
        if (events != null) {
            events.close();
        }
    }
}
