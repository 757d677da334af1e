package dev.lockstep.cli;

import dev.lockstep.cluster.KubeCluster;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.AppHealth;
import dev.lockstep.reconcile.AppReconciler;
import dev.lockstep.reconcile.AppStatus;
import dev.lockstep.reconcile.Engine;
import dev.lockstep.reconcile.PassOutcome;
import dev.lockstep.rollout.RolloutStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description = "Run one reconcile pass for each app, then follow the rollouts like `kubectl rollout status`.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every app is healthy at its git head",
            "1:a rollout failed (e.g. ProgressDeadlineExceeded)",
            "2:bad usage or configuration",
            "3:a commit was refused (invalid manifest or policy): nothing of it was applied",
            "4:git or the cluster could not be reached",
            "5:rollouts still progressing at --timeout"
        })
final class SyncCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(
            names = "--timeout",
            defaultValue = "5m",
            converter = DurationConverter.class,
            description = "How long to follow rollouts (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--no-wait", description = "Apply and return without following rollouts.")
    boolean noWait;

    @Override
    public Integer call() throws ConfigException, InterruptedException {
        LockstepConfig config = options.load();
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        try (KubernetesClient client = KubeClients.create(options.kubeconfig);
                Engine engine = new Engine(
                        config,
                        KubeCluster.connect(client, config.stateNamespace()),
                        new ConsoleListener(out),
                        clock)) {
            int code = ExitCode.OK;
            for (AppReconciler app : engine.apps()) {
                PassOutcome outcome = app.reconcile();
                AppStatus s = app.status();
                out.printf(
                        "app %s: %s at commit %s%s%n",
                        app.spec().name(),
                        outcome.label(),
                        shortSha(s.commit()),
                        s.subject().isEmpty() ? "" : " \"" + s.subject() + "\"");
                if (outcome == PassOutcome.STALLED) {
                    out.println("app " + app.spec().name() + ": " + s.message());
                    s.errors().forEach(e -> out.println("  " + e));
                    code = Math.max(code, ExitCode.REJECTED);
                } else if (outcome == PassOutcome.RETRY) {
                    out.println("app " + app.spec().name() + ": " + s.message());
                    code = Math.max(code, ExitCode.UNAVAILABLE);
                }
            }
            out.flush();
            if (code != ExitCode.OK || noWait) {
                return code;
            }
            return follow(engine.apps(), out, clock.instant().plus(timeout), clock);
        }
    }

    private int follow(List<AppReconciler> apps, PrintWriter out, Instant deadline, Clock clock)
            throws InterruptedException {
        Map<String, String> printed = new HashMap<>();
        while (true) {
            boolean progressing = false;
            boolean failed = false;
            for (AppReconciler app : apps) {
                if (app.refreshRollouts()) {
                    app.reconcile(); // onFailedRollout: revert — decide now, then follow the rollback too
                }
                AppStatus s = app.status();
                for (Map.Entry<String, RolloutStatus> d : s.deployments().entrySet()) {
                    if (!d.getValue()
                            .message()
                            .equals(printed.put(d.getKey(), d.getValue().message()))) {
                        out.println(d.getValue().message());
                        out.flush();
                    }
                }
                progressing |= s.health() == AppHealth.PROGRESSING;
                failed |= s.health() == AppHealth.FAILED;
            }
            if (!progressing) {
                return failed ? ExitCode.FAILED : ExitCode.OK;
            }
            if (clock.instant().isAfter(deadline)) {
                out.println("timed out waiting for rollouts");
                return ExitCode.TIMEOUT;
            }
            Thread.sleep(300);
        }
    }

    private static String shortSha(String sha) {
        return sha.isEmpty() ? "(none)" : Revision.shortSha(sha);
    }
}
