package dev.lockstep.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd + kube-apiserver + kube-controller-manager started by scripts/local-cluster.sh under the name
 * {@code lockstep-test-<pid>} and stopped when the run ends (or the JVM exits). No scheduler or kubelet:
 * the run adds a SimulatedNode.
 */
final class LocalControlPlaneBackend implements ClusterBackend {

    private static final Logger log = LoggerFactory.getLogger(LocalControlPlaneBackend.class);
    private static final Pattern TEST_CLUSTER = Pattern.compile("lockstep-test-(\\d+)");
    // A cold machine builds Kubernetes first (5-8 minutes on 2 cores); a warm one starts in seconds.
    private static final Duration START_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

    private final LocalClusterScript script;
    private final String name;
    private final Path kubeconfig;
    private final Thread shutdownHook;

    private LocalControlPlaneBackend(LocalClusterScript script, String name, Path kubeconfig) {
        this.script = script;
        this.name = name;
        this.kubeconfig = kubeconfig;
        // Ctrl-C or a killed fork would otherwise leave etcd and the apiserver running.
        this.shutdownHook = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static LocalControlPlaneBackend start(LocalClusterScript script) {
        stopLeftovers(script);
        String name = "lockstep-test-" + ProcessHandle.current().pid();
        long t0 = System.nanoTime();
        LocalClusterScript.Result started = script.run(START_TIMEOUT, "start", name);
        if (started.exitCode() != 0) {
            script.run(STOP_TIMEOUT, "stop", name); // do not leave half a cluster behind
            throw new IllegalStateException("scripts/local-cluster.sh start " + name + " failed (exit "
                    + started.exitCode() + "):\n" + started.output());
        }
        Path kubeconfig =
                Path.of(script.run(STOP_TIMEOUT, "kubeconfig", name).output().strip());
        if (!Files.isRegularFile(kubeconfig)) {
            script.run(STOP_TIMEOUT, "stop", name);
            throw new IllegalStateException("local cluster " + name + " started but has no kubeconfig at " + kubeconfig
                    + ":\n" + started.output());
        }
        log.info(
                "local control plane {} ready in {} ms (state and logs: {})",
                name,
                (System.nanoTime() - t0) / 1_000_000,
                script.stateRoot().resolve(name));
        return new LocalControlPlaneBackend(script, name, kubeconfig);
    }

    /** Stops clusters of earlier runs whose JVM died without stopping them (kill -9, OOM). */
    private static void stopLeftovers(LocalClusterScript script) {
        if (!Files.isDirectory(script.stateRoot())) {
            return;
        }
        List<String> stale;
        try (Stream<Path> dirs = Files.list(script.stateRoot())) {
            stale = dirs.map(p -> p.getFileName().toString())
                    .filter(n -> {
                        Matcher m = TEST_CLUSTER.matcher(n);
                        return m.matches()
                                && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty();
                    })
                    .toList();
        } catch (IOException e) {
            return;
        }
        for (String leftover : stale) {
            log.info("stopping leftover local cluster {}", leftover);
            script.run(STOP_TIMEOUT, "stop", leftover);
            deleteTree(script.stateRoot().resolve(leftover));
        }
    }

    @Override
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public String description() {
        return "local control plane " + name + " (Kubernetes 1.20.2, simulated node)";
    }

    @Override
    public boolean needsSimulatedNode() {
        return true;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            return; // the hook does it
        }
        stop();
    }

    private void stop() {
        LocalClusterScript.Result stopped = script.run(STOP_TIMEOUT, "stop", name);
        if (stopped.exitCode() != 0) {
            log.warn(
                    "scripts/local-cluster.sh stop {} failed (exit {}):\n{}",
                    name,
                    stopped.exitCode(),
                    stopped.output());
        } else {
            log.info("local control plane {} stopped", name);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leftovers of a dead run; harmless
        }
    }
}
