package dev.lockstep.cluster;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The task executor of one fabric8 client (informer callbacks, watch reconnects), with named daemon threads, shut down
 * when the client closes. fabric8's own names them after an anonymous class ({@code -1689717017-pool-7-thread-1}),
 * which a thread dump cannot tell apart from any other client's.
 */
public final class NamedTaskExecutor implements KubernetesClientBuilder.ExecutorSupplier {
    private final String name;
    private final AtomicInteger threads = new AtomicInteger();

    /** @param name the threads are named {@code name-1}, {@code name-2}, ... */
    public NamedTaskExecutor(String name) {
        this.name = name;
    }

    @Override
    public Executor get() {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void onClose(Executor executor) {
        if (executor instanceof ExecutorService service) {
            service.shutdownNow();
        }
    }
}
