package dev.lockstep.cli;

import dev.lockstep.config.ConfigException;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.daemon.Daemon;
import dev.lockstep.daemon.LeaderElection;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run the daemon: poll git, apply, follow rollouts, correct drift; serve the status page at /, "
                + "/metrics, /healthz, /readyz, /status and /webhook. Stops cleanly on SIGTERM.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by a signal after a clean shutdown", "2:bad usage or configuration"})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(
            names = "--leader-elect",
            negatable = true,
            defaultValue = "true",
            description = "Hold a Lease in the state namespace so only one replica writes (default: ${DEFAULT-VALUE}).")
    boolean leaderElect;

    @Option(
            names = "--identity",
            defaultValue = "${env:POD_NAME:-${env:HOSTNAME:-lockstep}}",
            description = "This replica's name in the leader Lease (default: $POD_NAME or $HOSTNAME).")
    String identity;

    @Override
    public Integer call() throws ConfigException, InterruptedException {
        LockstepConfig config = options.load();
        CountDownLatch stop = new CountDownLatch(1);
        try (KubernetesClient client = KubeClients.create(options.kubeconfig)) {
            Daemon daemon = new Daemon(
                    config,
                    client,
                    Clock.systemUTC(),
                    leaderElect ? Optional.of(identity) : Optional.empty(),
                    LeaderElection.Timing.standard(),
                    List.of());
            Thread hook = new Thread(
                    () -> {
                        daemon.close();
                        stop.countDown();
                    },
                    "shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            daemon.start();
            spec.commandLine()
                    .getErr()
                    .println(
                            "lockstep: running " + config.apps().size() + " app(s); http on port " + daemon.httpPort());
            spec.commandLine().getErr().flush();
            stop.await();
        }
        return ExitCode.OK;
    }
}
