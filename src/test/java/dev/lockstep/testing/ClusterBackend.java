package dev.lockstep.testing;

import java.nio.file.Path;

/** Where the test run's API server comes from. One per run; closed when the run ends. */
interface ClusterBackend extends AutoCloseable {

    /** Admin kubeconfig for the cluster. */
    Path kubeconfig();

    /** Human-readable, for logs and failure messages. */
    String description();

    /** True when nothing else schedules pods and reports them running, so the run needs a SimulatedNode. */
    boolean needsSimulatedNode();

    @Override
    void close();
}
