package dev.lockstep.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** A cluster someone else runs (LOCKSTEP_TEST_KUBECONFIG); the run never stops it. */
record ExistingClusterBackend(Path kubeconfig, boolean needsSimulatedNode) implements ClusterBackend {

    ExistingClusterBackend {
        if (!Files.isRegularFile(kubeconfig)) {
            throw new IllegalStateException(BackendChoice.KUBECONFIG_ENV + " names no file: " + kubeconfig);
        }
    }

    @Override
    public String description() {
        return "existing cluster from " + kubeconfig + (needsSimulatedNode ? " (with simulated node)" : "");
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
