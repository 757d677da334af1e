package dev.lockstep.testbed;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the scheduler and a kubelet on a control plane that has neither (see LOCAL-CONTROL-PLANE.md):
 * registers a Ready Node, binds every unbound Pending pod to it, reports bound pods Running (Ready unless their
 * image is kept un-ready, see {@link UnreadyImagePolicy}) after {@link SimulatedNodeConfig#readyDelay()}, and
 * removes its pods once they are being deleted (grace period 0), since no kubelet will confirm their end.
 *
 * <p>A DaemonSet's pod is bound only by the node its node affinity names (one pod per node, as the scheduler would).
 * A Job's pod, or a bare pod with {@code restartPolicy: Never} (a Helm hook Pod), runs to its end: phase Succeeded, or Failed when its image matches the namespace annotation
 * {@value SimulatedNodeConfig#FAILING_IMAGES_ANNOTATION}, or runs on without end when its image is kept un-ready.
 * StatefulSet pods need nothing special: the StatefulSet
 * controller creates them one at a time and waits for each to be Ready.
 *
 * <p>Test and demo tooling only; reconcile code never uses it. The client is the caller's and is not closed here.
 */
public final class SimulatedNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatedNode.class);

    /** Same as a kubelet's default status update frequency; keeps a node-lifecycle controller (if any) content. */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    /** Informer resync: replays every pod so work dropped after exhausted retries is picked up again. */
    private static final long RESYNC_MILLIS = 30_000;

    private static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";

    private static final int MAX_ATTEMPTS = 8;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);

    /** Where a pod is in this node's hands; keyed by pod UID so a re-created pod with the same name starts over. */
    private enum Stage {
        BINDING,
        STARTING,
        STARTED,
        DELETING
    }

    private final KubernetesClient client;
    private final SimulatedNodeConfig config;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final Retrier retrier;
    private final UnreadyImagePolicy unreadyPolicy;
    /** Same matching as un-ready images, but per {@link SimulatedNodeConfig#FAILING_IMAGES_ANNOTATION}; none by default. */
    private final UnreadyImagePolicy failingPolicy = new UnreadyImagePolicy(SimulatedNodeConfig.NO_IMAGES);

    private final PodIpAllocator podIps = new PodIpAllocator();
    private final Map<String, Stage> stages = new ConcurrentHashMap<>();

    private SharedIndexInformer<Pod> informer; // guarded by this
    private SimulatedLoadBalancer loadBalancer; // guarded by this
    private ScheduledFuture<?> heartbeat; // guarded by this
    private boolean closed; // guarded by this

    /** A node with its own small thread pool and the system clock. */
    public SimulatedNode(KubernetesClient client, SimulatedNodeConfig config) {
        this(client, config, Clock.systemUTC(), null);
    }

    /**
     * @param scheduler runs the API calls and delays; when null the node makes (and on close shuts down) its own.
     *                  A caller-supplied scheduler is left running.
     */
    public SimulatedNode(
            KubernetesClient client, SimulatedNodeConfig config, Clock clock, ScheduledExecutorService scheduler) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ownsScheduler = scheduler == null;
        this.scheduler = ownsScheduler ? newScheduler(config.nodeName()) : scheduler;
        this.retrier = new Retrier(this.scheduler, MAX_ATTEMPTS, FIRST_BACKOFF);
        this.unreadyPolicy = new UnreadyImagePolicy(config.unreadyImages());
    }

    public SimulatedNodeConfig config() {
        return config;
    }

    /** Registers the node, starts handling pods and LoadBalancer Services; returns once the pod informer has listed. */
    public synchronized SimulatedNode start() {
        if (closed || informer != null) {
            throw new IllegalStateException("simulated node " + config.nodeName() + " already started or closed");
        }
        try {
            registerNode();
            informer = client.pods().inAnyNamespace().inform(new PodHandler(), RESYNC_MILLIS);
            loadBalancer = new SimulatedLoadBalancer(client, scheduler);
            loadBalancer.start();
            long every = HEARTBEAT_INTERVAL.toMillis();
            heartbeat = scheduler.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            close(); // no threads or half-registered node left behind
            throw e;
        }
        log.info(
                "simulated node {} started (ready delay {} ms, un-ready images /{}/, namespace annotation {})",
                config.nodeName(),
                config.readyDelay().toMillis(),
                config.unreadyImages(),
                SimulatedNodeConfig.UNREADY_IMAGES_ANNOTATION);
        return this;
    }

    /** Stops handling pods and removes the Node object (best effort). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (informer != null) {
            informer.close();
        }
        if (loadBalancer != null) {
            loadBalancer.close();
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        try {
            client.nodes().withName(config.nodeName()).delete();
        } catch (KubernetesClientException e) {
            log.debug("could not delete node {}: {}", config.nodeName(), e.getMessage());
        }
        log.info("simulated node {} stopped", config.nodeName());
    }

    private void registerNode() {
        Node node = NodeObjects.node(config.nodeName(), clock.instant());
        try {
            client.nodes().resource(node).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            log.info("node {} already exists; taking it over", config.nodeName());
        }
        // Always (re)write the status: an existing node may be stale, and not every server keeps status on create.
        patchNodeStatus();
        removeNotReadyTaint();
    }

    /**
     * The API server's TaintNodesByCondition admission puts {@code node.kubernetes.io/not-ready:NoSchedule} on every
     * new Node; the node-lifecycle controller (not run here) lifts it once the node is Ready. DaemonSet pods do not
     * tolerate it, so without this the DaemonSet controller wants no pod on this node (desiredNumberScheduled 0).
     */
    private void removeNotReadyTaint() {
        client.nodes().withName(config.nodeName()).edit(n -> {
            if (n.getSpec() != null && n.getSpec().getTaints() != null) {
                n.getSpec().getTaints().removeIf(t -> NOT_READY_TAINT.equals(t.getKey()));
            }
            return n;
        });
    }

    private void heartbeat() {
        try {
            patchNodeStatus();
        } catch (KubernetesClientException e) {
            log.warn("heartbeat for node {} failed: {}", config.nodeName(), e.getMessage());
        }
    }

    private void patchNodeStatus() {
        Node statusOnly = new NodeBuilder()
                .withNewMetadata()
                .withName(config.nodeName())
                .endMetadata()
                .withStatus(NodeObjects.status(config.nodeName(), clock.instant()))
                .build();
        client.nodes().resource(statusOnly).patchStatus();
    }

    private void onPod(Pod pod) {
        String uid = pod.getMetadata().getUid();
        String nodeName = pod.getSpec().getNodeName();
        boolean ours = config.nodeName().equals(nodeName);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            if (ours && stages.put(uid, Stage.DELETING) != Stage.DELETING) {
                forceDelete(pod);
            }
        } else if (nodeName == null || nodeName.isEmpty()) {
            boolean forUs =
                    PodPlacement.pinnedNode(pod).map(config.nodeName()::equals).orElse(true);
            if (forUs && isPending(pod) && stages.putIfAbsent(uid, Stage.BINDING) == null) {
                bind(pod);
            }
        } else if (ours && isPending(pod) && stages.putIfAbsent(uid, Stage.STARTING) == null) {
            startContainers(pod);
        }
    }

    private void bind(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String uid = pod.getMetadata().getUid();
        Binding binding = new BindingBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withUid(uid)
                .endMetadata()
                .withNewTarget()
                .withApiVersion("v1")
                .withKind("Node")
                .withName(config.nodeName())
                .endTarget()
                .build();
        retrier.submit("bind pod " + ns + "/" + name, Duration.ZERO, () -> {
                    try {
                        client.bindings().inNamespace(ns).resource(binding).create();
                    } catch (KubernetesClientException e) {
                        if (e.getCode() != 409 || !boundHere(ns, name)) {
                            throw e; // 409 with the pod unbound or on another node: retry, or give up after the last
                            // attempt
                        }
                    }
                })
                .whenComplete((ok, error) -> {
                    if (error == null) {
                        log.debug("bound pod {}/{} to {}", ns, name, config.nodeName());
                        if (stages.replace(uid, Stage.BINDING, Stage.STARTING)) {
                            startContainers(pod);
                        }
                    } else {
                        stages.remove(uid, Stage.BINDING);
                        logFailure("bind pod " + ns + "/" + name, error);
                    }
                });
    }

    private boolean boundHere(String ns, String name) {
        Pod now = client.pods().inNamespace(ns).withName(name).get();
        return now != null && config.nodeName().equals(now.getSpec().getNodeName());
    }

    private void startContainers(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String uid = pod.getMetadata().getUid();
        retrier.submit("start pod " + ns + "/" + name, config.readyDelay(), () -> {
                    boolean ready = !unreadyPolicy.keepsUnready(
                            pod, annotation(ns, SimulatedNodeConfig.UNREADY_IMAGES_ANNOTATION));
                    PodStatus status;
                    if (ready && PodPlacement.runsToCompletion(pod)) { // an un-ready Job pod runs on, never ending
                        ready = !failingPolicy.keepsUnready(
                                pod, annotation(ns, SimulatedNodeConfig.FAILING_IMAGES_ANNOTATION));
                        status = PodStatuses.finished(pod, NodeObjects.NODE_IP, podIps.next(), clock.instant(), ready);
                    } else {
                        status = PodStatuses.running(pod, NodeObjects.NODE_IP, podIps.next(), clock.instant(), ready);
                    }
                    Pod statusOnly = new PodBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .withNamespace(ns)
                            .endMetadata()
                            .withStatus(status)
                            .build();
                    client.pods().inNamespace(ns).resource(statusOnly).patchStatus();
                    log.debug("pod {}/{} started, phase {}, ready or succeeded={}", ns, name, status.getPhase(), ready);
                })
                .whenComplete((ok, error) -> {
                    if (error == null) {
                        stages.replace(uid, Stage.STARTING, Stage.STARTED);
                    } else {
                        stages.remove(uid, Stage.STARTING);
                        logFailure("start pod " + ns + "/" + name, error);
                    }
                });
    }

    /** Read fresh, not from a cache: a test annotates its namespace just before creating pods. */
    private String annotation(String ns, String key) {
        Namespace namespace = client.namespaces().withName(ns).get();
        if (namespace == null || namespace.getMetadata().getAnnotations() == null) {
            return null;
        }
        return namespace.getMetadata().getAnnotations().get(key);
    }

    private void forceDelete(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String uid = pod.getMetadata().getUid();
        retrier.submit(
                        "delete pod " + ns + "/" + name,
                        Duration.ZERO,
                        () -> client.pods()
                                .inNamespace(ns)
                                .withName(name)
                                .withGracePeriod(0)
                                .delete())
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        stages.remove(uid, Stage.DELETING);
                        logFailure("delete pod " + ns + "/" + name, error);
                    }
                });
    }

    private void logFailure(String what, Throwable error) {
        if (Retrier.isNotFound(error)) {
            log.debug("{}: pod is gone", what);
        } else if (!closed()) {
            log.warn("{} failed: {}", what, error.toString());
        }
    }

    private synchronized boolean closed() {
        return closed;
    }

    private static boolean isPending(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return phase == null || phase.isEmpty() || "Pending".equals(phase);
    }

    private static ScheduledExecutorService newScheduler(String nodeName) {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(4, r -> {
            Thread t = new Thread(r, "sim-node-" + nodeName + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Runs on the informer's thread: decide and hand off, never block. */
    private final class PodHandler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            onPod(pod);
        }

        @Override
        public void onUpdate(Pod oldPod, Pod newPod) {
            onPod(newPod);
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            stages.remove(pod.getMetadata().getUid());
        }
    }
}
