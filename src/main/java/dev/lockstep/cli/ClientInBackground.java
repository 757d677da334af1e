package dev.lockstep.cli;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * A client built on its own thread while the command reads its config: fabric8's wiring (about 300 classes, the
 * kubeconfig) and the config's YAML do not depend on each other, and a fresh JVM spends a good part of a
 * {@code sync --no-wait} on each. {@link #get()} gives the client, or throws what building it threw;
 * {@link #abandon()} closes a client nobody will use (the config was refused). Generic, so that fabric8 stays with
 * the classes ArchitectureTest lets wire it ({@link KubeClients}, the commands).
 */
final class ClientInBackground<C extends AutoCloseable> {
    private final FutureTask<C> task;

    private ClientInBackground(FutureTask<C> task) {
        this.task = task;
    }

    static <C extends AutoCloseable> ClientInBackground<C> start(Supplier<C> build) {
        FutureTask<C> task = new FutureTask<>(build::get);
        Thread thread = new Thread(task, "kube-client-wiring");
        thread.setDaemon(true); // a build stuck on an in-cluster lookup must not keep the JVM alive
        thread.start();
        return new ClientInBackground<>(task);
    }

    /** The client, once built; what building it threw, as it was thrown. */
    C get() throws InterruptedException {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Closes the client when it is built: the command ends without using it. */
    void abandon() {
        C client;
        try {
            client = get();
        } catch (RuntimeException e) {
            return; // building it failed: nothing to close, and the command reports its own error
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            client.close();
        } catch (Exception e) {
            // closing an unused client: nothing a user could act on
        }
    }
}
