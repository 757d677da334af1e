package dev.lockstep.testing;

import dev.lockstep.testbed.SimulatedNode;
import dev.lockstep.testbed.SimulatedNodeConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * The cluster of one test run: backend, an admin client and (where needed) the simulated node.
 * Lives in the JUnit root store, so it is created once, shared by parallel test classes and closed at the end.
 */
final class SharedCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SharedCluster.class);

    /** The test bed's node: every image becomes ready after a short delay unless the namespace says otherwise. */
    static final SimulatedNodeConfig NODE =
            new SimulatedNodeConfig("lockstep-sim-node", Duration.ofMillis(100), SimulatedNodeConfig.NO_IMAGES);

    private final ClusterBackend backend;
    private final KubernetesClient admin;
    private final Optional<SimulatedNode> node;

    private SharedCluster(ClusterBackend backend, KubernetesClient admin, Optional<SimulatedNode> node) {
        this.backend = backend;
        this.admin = admin;
        this.node = node;
    }

    static SharedCluster start() {
        Map<String, String> env = System.getenv();
        BackendChoice choice = BackendChoice.choose(env, dockerProbe());
        log.info("test cluster backend: {} ({})", choice.kind(), choice.reason());
        ClusterBackend backend = switch (choice.kind()) {
            case EXISTING ->
                new ExistingClusterBackend(
                        java.nio.file.Path.of(
                                env.get(BackendChoice.KUBECONFIG_ENV).trim()),
                        BackendChoice.simNodeWanted(env));
            case K3S -> K3sBackend.start(env.getOrDefault("LOCKSTEP_TEST_K3S_IMAGE", K3sBackend.DEFAULT_IMAGE));
            case LOCAL -> LocalControlPlaneBackend.start(LocalClusterScript.find());
        };
        KubernetesClient admin = null;
        try {
            admin = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(backend.kubeconfig().toFile()))
                    .build();
            Optional<SimulatedNode> node = backend.needsSimulatedNode()
                    ? Optional.of(new SimulatedNode(admin, NODE).start())
                    : Optional.empty();
            log.info("test cluster ready: {}", backend.description());
            return new SharedCluster(backend, admin, node);
        } catch (RuntimeException e) {
            if (admin != null) {
                admin.close();
            }
            backend.close();
            throw e;
        }
    }

    private static BooleanSupplier dockerProbe() {
        return () -> {
            try {
                return DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        };
    }

    ClusterBackend backend() {
        return backend;
    }

    KubernetesClient admin() {
        return admin;
    }

    Optional<SimulatedNodeConfig> simulatedNode() {
        return node.map(SimulatedNode::config);
    }

    @Override
    public void close() {
        node.ifPresent(SimulatedNode::close);
        admin.close();
        backend.close();
    }
}
