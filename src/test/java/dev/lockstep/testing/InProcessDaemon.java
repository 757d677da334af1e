package dev.lockstep.testing;

import dev.lockstep.config.AppSpec;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.engine.Engine;
import dev.lockstep.reconcile.engine.ReconcileLoop;
import dev.lockstep.reconcile.report.ReconcileListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Random;

/**
 * The daemon's engine and loop for one app, in the test's process; {@link #restart} replaces them as a restarted or
 * replaced pod would (all state comes back from the cluster).
 */
public final class InProcessDaemon implements AutoCloseable {
    private final KubernetesClient client;
    private final Path cacheDir;
    private final ReconcileListener listener;
    private Engine engine;
    private ReconcileLoop loop;

    public InProcessDaemon(KubernetesClient client, Path cacheDir, ReconcileListener listener) {
        this.client = client;
        this.cacheDir = cacheDir;
        this.listener = listener;
    }

    /** Stops whatever runs and starts a fresh engine and loop for {@code app}; returns its reconciler. */
    public AppReconciler restart(AppSpec app) {
        close();
        engine = TestApps.engine(TestApps.config(app, cacheDir), client, listener);
        loop = new ReconcileLoop(engine.apps(), new Random(1), name -> true, name -> 0L);
        loop.start();
        return engine.apps().get(0);
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
