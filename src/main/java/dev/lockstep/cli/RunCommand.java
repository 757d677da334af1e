package dev.lockstep.cli;

import dev.lockstep.cluster.StateNamespace;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.daemon.Daemon;
import dev.lockstep.daemon.Identity;
import dev.lockstep.daemon.LeaderElection;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
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
        exitCodeList = {
            "0:stopped by a signal after a clean shutdown",
            "2:bad usage or configuration, or the state namespace is missing and may not be created"
        })
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
            description = "This replica's name in the leader Lease (default: $POD_NAME, else the host name plus a"
                    + " random suffix, unique per process).")
    String identity;

    @Option(
            names = "--log-format",
            defaultValue = "${env:LOCKSTEP_LOG_FORMAT:-text}",
            description = "text (default, for terminals) or json (one object per line: time, level, logger, message,"
                    + " app, commit, workload, revision, event); also $LOCKSTEP_LOG_FORMAT.")
    String logFormat;

    @Override
    public Integer call() throws ConfigException, InterruptedException {
        Optional<LogFormat> format = LogFormat.of(logFormat);
        if (format.isEmpty()) {
            spec.commandLine()
                    .getErr()
                    .println("lockstep run: --log-format must be text or json, not '" + logFormat + "'");
            spec.commandLine().getErr().flush();
            return ExitCode.USAGE;
        }
        format.get().apply();
        LockstepConfig config = options.load(true);
        CountDownLatch stop = new CountDownLatch(1);
        try (KubernetesClient client = KubeClients.create(options.kubeconfig)) {
            try {
                if (new StateNamespace(client, config.stateNamespace()).ensure() == StateNamespace.Outcome.CREATED) {
                    spec.commandLine().getErr().println("lockstep: created state namespace " + config.stateNamespace());
                }
            } catch (StateNamespace.StateNamespaceMissing e) {
                spec.commandLine().getErr().println("lockstep run: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ExitCode.USAGE;
            }
            String self = Identity.of(Optional.ofNullable(identity), System.getenv(), new SecureRandom());
            Daemon daemon = new Daemon(
                    config,
                    client,
                    Clock.systemUTC(),
                    leaderElect ? Optional.of(self) : Optional.empty(),
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
                    .println("lockstep: running " + config.apps().size() + " app(s)"
                            + (leaderElect ? " as " + self : "") + "; http on port " + daemon.httpPort());
            spec.commandLine().getErr().flush();
            stop.await();
        }
        return ExitCode.OK;
    }
}
