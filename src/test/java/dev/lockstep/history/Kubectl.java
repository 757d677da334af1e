package dev.lockstep.history;

import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A human at the keyboard: the real kubectl when it is installed, else the same change through the API. */
final class Kubectl {
    private Kubectl() {}

    static void setImage(TestCluster cluster, String deployment, String containerEqualsImage) throws Exception {
        if (onPath("kubectl")) {
            Process p = new ProcessBuilder(
                            "kubectl",
                            "--kubeconfig",
                            cluster.kubeconfig().toString(),
                            "-n",
                            cluster.namespace(),
                            "set",
                            "image",
                            "deployment/" + deployment,
                            containerEqualsImage)
                    .redirectErrorStream(true)
                    .start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("kubectl set image failed: " + output);
            }
            return;
        }
        String image = containerEqualsImage.substring(containerEqualsImage.indexOf('=') + 1);
        cluster.client()
                .apps()
                .deployments()
                .withName(deployment)
                .edit(d -> new DeploymentBuilder(d)
                        .editSpec()
                        .editTemplate()
                        .editSpec()
                        .editFirstContainer()
                        .withImage(image)
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build());
    }

    /** {@code kubectl rollout history RESOURCE}'s output, or empty when kubectl is not installed. */
    static java.util.Optional<String> rolloutHistory(TestCluster cluster, String resource) throws Exception {
        if (!onPath("kubectl")) {
            return java.util.Optional.empty();
        }
        Process p = new ProcessBuilder(
                        "kubectl",
                        "--kubeconfig",
                        cluster.kubeconfig().toString(),
                        "-n",
                        cluster.namespace(),
                        "rollout",
                        "history",
                        resource)
                .start();
        String output = new String(p.getInputStream().readAllBytes());
        String errors = new String(p.getErrorStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("kubectl rollout history failed: " + output + errors);
        }
        return java.util.Optional.of(output);
    }

    private static boolean onPath(String command) throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
