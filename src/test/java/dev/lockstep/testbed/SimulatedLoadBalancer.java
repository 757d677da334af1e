package dev.lockstep.testbed;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test bed's load-balancer controller, as k3s's servicelb or MetalLB would be on a real cluster: gives every
 * {@code LoadBalancer} Service an ingress IP (from the documentation range 192.0.2.0/24), so a LoadBalancer Service
 * becomes ready as Lockstep judges it. Without it no LoadBalancer Service of a test app would ever be ready.
 */
final class SimulatedLoadBalancer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimulatedLoadBalancer.class);

    private final KubernetesClient client;
    private final ExecutorService executor;
    private final AtomicInteger nextHost = new AtomicInteger(1);
    private final Map<String, String> assigned = new ConcurrentHashMap<>();
    private SharedIndexInformer<Service> informer;

    SimulatedLoadBalancer(KubernetesClient client, ExecutorService executor) {
        this.client = client;
        this.executor = executor;
    }

    synchronized void start() {
        informer = client.services().inAnyNamespace().inform(new Handler(), 30_000);
    }

    @Override
    public synchronized void close() {
        if (informer != null) {
            informer.close();
        }
    }

    private void maybeAssign(Service service) {
        if (!"LoadBalancer".equals(service.getSpec().getType()) || hasIngress(service)) {
            return;
        }
        String namespace = service.getMetadata().getNamespace();
        String name = service.getMetadata().getName();
        String ip = assigned.computeIfAbsent(
                service.getMetadata().getUid(), uid -> "192.0.2." + (1 + (nextHost.getAndIncrement() - 1) % 254));
        try {
            client.services()
                    .inNamespace(namespace)
                    .withName(name)
                    .editStatus(s -> new ServiceBuilder(s)
                            .editOrNewStatus()
                            .withNewLoadBalancer()
                            .addNewIngress()
                            .withIp(ip)
                            .endIngress()
                            .endLoadBalancer()
                            .endStatus()
                            .build());
            log.info("load balancer ingress {} for Service {}/{}", ip, namespace, name);
        } catch (KubernetesClientException e) {
            // gone or changed meanwhile: the informer's next event or resync tries again
            log.debug("cannot set the ingress of Service {}/{}: {}", namespace, name, e.getMessage());
        }
    }

    private static boolean hasIngress(Service service) {
        return service.getStatus() != null
                && service.getStatus().getLoadBalancer() != null
                && service.getStatus().getLoadBalancer().getIngress() != null
                && !service.getStatus().getLoadBalancer().getIngress().isEmpty();
    }

    /** Runs on the informer's thread: hand off, never block. */
    private final class Handler implements ResourceEventHandler<Service> {
        @Override
        public void onAdd(Service service) {
            executor.execute(() -> maybeAssign(service));
        }

        @Override
        public void onUpdate(Service oldService, Service newService) {
            executor.execute(() -> maybeAssign(newService));
        }

        @Override
        public void onDelete(Service service, boolean finalStateUnknown) {
            assigned.remove(service.getMetadata().getUid());
        }
    }
}
