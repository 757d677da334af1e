package dev.lockstep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * k3s in Docker (Testcontainers). It has a real node, scheduler and kubelet, so no simulated node: images are
 * really pulled. An image that cannot be pulled never gets ready (good enough for the "v3 fails" step), but
 * steps that must succeed need a pullable image.
 */
final class K3sBackend implements ClusterBackend {

    /** Override with LOCKSTEP_TEST_K3S_IMAGE. */
    static final String DEFAULT_IMAGE = "rancher/k3s:v1.30.6-k3s1";

    private final K3sContainer container;
    private final Path kubeconfig;

    private K3sBackend(K3sContainer container, Path kubeconfig) {
        this.container = container;
        this.kubeconfig = kubeconfig;
    }

    static K3sBackend start(String image) {
        K3sContainer container =
                new K3sContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("rancher/k3s"));
        container.start();
        try {
            Path file = Files.createTempFile(
                    "lockstep-k3s-",
                    ".kubeconfig",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, container.getKubeConfigYaml());
            return new K3sBackend(container, file);
        } catch (IOException e) {
            container.stop();
            throw new UncheckedIOException("could not write the k3s kubeconfig", e);
        }
    }

    @Override
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public String description() {
        return "k3s container " + container.getDockerImageName();
    }

    @Override
    public boolean needsSimulatedNode() {
        return false;
    }

    @Override
    public void close() {
        container.stop();
        try {
            Files.deleteIfExists(kubeconfig);
        } catch (IOException e) {
            // a temp file; nothing to do about it
        }
    }
}
