package dev.lockstep.testing;

import dev.lockstep.testbed.SimulatedNodeConfig;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a test gets from {@link KubernetesExtension}: a namespace of its own on the run's shared cluster, a client
 * whose default namespace is that namespace, and what other code needs to build its own clients.
 * The namespace is deleted (without waiting) after the test.
 */
public final class TestCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TestCluster.class);

    /** On every test namespace, so leftovers can be found: {@code kubectl delete ns -l lockstep.dev/test=true}. */
    public static final String TEST_NAMESPACE_LABEL = "lockstep.dev/test";

    private final SharedCluster shared;
    private final String namespace;
    private final KubernetesClient client;

    private TestCluster(SharedCluster shared, String namespace, KubernetesClient client) {
        this.shared = shared;
        this.namespace = namespace;
        this.client = client;
    }

    static TestCluster create(SharedCluster shared, String namespace, String testName) {
        shared.admin()
                .namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .withLabels(Map.of(TEST_NAMESPACE_LABEL, "true"))
                        .withAnnotations(Map.of("lockstep.dev/test-name", testName))
                        .endMetadata()
                        .build())
                .create();
        Config config = namespacedConfig(shared, namespace);
        return new TestCluster(
                shared,
                namespace,
                new KubernetesClientBuilder().withConfig(config).build());
    }

    /** A client for this test; its default namespace is {@link #namespace()}. Closed after the test. */
    public KubernetesClient client() {
        return client;
    }

    /** The test's own namespace, created before the test and deleted after it. */
    public String namespace() {
        return namespace;
    }

    /** A fresh admin Config with {@link #namespace()} as default, for building other clients (interceptors...). */
    public Config config() {
        return namespacedConfig(shared, namespace);
    }

    /** A {@link TcpProxy} in front of the API server, for one client whose link a test breaks. Close it after. */
    public TcpProxy proxyToApiServer() {
        java.net.URI server = java.net.URI.create(config().getMasterUrl());
        return TcpProxy.start(server.getHost(), server.getPort());
    }

    /**
     * {@link #config()} pointing at {@code proxy}: TLS still ends at the real server, whose certificate does not name
     * the proxy's address, so certificates are trusted and host names not checked (test code only).
     */
    public Config configThrough(TcpProxy proxy) {
        return new ConfigBuilder(config())
                .withMasterUrl("https://127.0.0.1:" + proxy.port())
                .withTrustCerts(true)
                .withDisableHostnameVerification(true)
                .build();
    }

    /** The admin kubeconfig file (for kubectl or the lockstep CLI); its default namespace is not the test's. */
    public Path kubeconfig() {
        return shared.backend().kubeconfig();
    }

    /** Which backend the run uses, for messages. */
    public String backendDescription() {
        return shared.backend().description();
    }

    /** The simulated node, when this backend has one (not on k3s or with LOCKSTEP_TEST_SIM_NODE=false). */
    public Optional<SimulatedNodeConfig> simulatedNode() {
        return shared.simulatedNode();
    }

    /**
     * Pods in this namespace whose image matches {@code regex} (whole string) run but never become Ready on the
     * simulated node, e.g. {@code ".*:v3"}. Set it before creating the pods. On backends with real nodes it has no
     * effect: there, only an image that cannot be pulled (or fails its probe) stays un-ready.
     */
    public void keepImagesUnready(String regex) {
        Pattern.compile(regex); // fail here, in the test, rather than as a warning in the node's log
        if (simulatedNode().isEmpty()) {
            log.warn("keepImagesUnready({}) has no effect on {}", regex, backendDescription());
        }
        shared.admin()
                .namespaces()
                .withName(namespace)
                .edit(ns -> new NamespaceBuilder(ns)
                        .editMetadata()
                        .addToAnnotations(SimulatedNodeConfig.UNREADY_IMAGES_ANNOTATION, regex)
                        .endMetadata()
                        .build());
    }

    /**
     * Pods of Jobs in this namespace whose image matches {@code regex} end Failed on the simulated node (others end
     * Succeeded). Set it before creating the Job. No effect on backends with real nodes.
     */
    public void failJobImages(String regex) {
        Pattern.compile(regex);
        if (simulatedNode().isEmpty()) {
            log.warn("failJobImages({}) has no effect on {}", regex, backendDescription());
        }
        shared.admin()
                .namespaces()
                .withName(namespace)
                .edit(ns -> new NamespaceBuilder(ns)
                        .editMetadata()
                        .addToAnnotations(SimulatedNodeConfig.FAILING_IMAGES_ANNOTATION, regex)
                        .endMetadata()
                        .build());
    }

    /** Deployments, ReplicaSets, pods and recent events of this namespace, for failure messages. */
    public String describeNamespace() {
        return DeploymentReport.describeNamespace(shared.admin(), namespace);
    }

    @Override
    public void close() {
        client.close();
        try {
            shared.admin().namespaces().withName(namespace).delete();
        } catch (RuntimeException e) {
            log.warn("could not delete test namespace {}: {}", namespace, e.getMessage());
        }
    }

    private static Config namespacedConfig(SharedCluster shared, String namespace) {
        return new ConfigBuilder(
                        Config.fromKubeconfig(shared.backend().kubeconfig().toFile()))
                .withNamespace(namespace)
                .build();
    }
}
