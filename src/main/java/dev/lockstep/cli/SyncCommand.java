package dev.lockstep.cli;

import dev.lockstep.cluster.KubeCluster;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.engine.Engine;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.rollout.RolloutState;
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
import java.util.function.Supplier;
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
            "1:a rollout failed (e.g. ProgressDeadlineExceeded), or a pass crashed (a bug: the app is named)",
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

    @Option(
            names = {"-v", "--verbose"},
            description = "One line per object and per rollout step, even for thousands of objects.")
    boolean verbose;

    @Override
    public Integer call() throws ConfigException, InterruptedException {
        RequestTally tally = new RequestTally();
        // one-shot: the client's wiring runs beside the config's loading instead of after it
        ClientInBackground<KubernetesClient> pending =
                ClientInBackground.start(() -> KubeClients.create(options.kubeconfig, tally));
        LockstepConfig config;
        try {
            config = options.load(true);
        } catch (ConfigException | RuntimeException e) {
            pending.abandon();
            throw e;
        }
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        ConsoleListener console = new ConsoleListener(out, verbose);
        try (KubernetesClient client = pending.get();
                Engine engine =
                        new Engine(config, KubeCluster.connect(client, config.stateNamespace()), console, clock)) {
            return sync(engine, console, tally::summary, out, clock);
        }
    }

    /**
     * One pass per app, then the rollouts: the exit code. Apart from {@link #call()} for SyncExitCodeTest, which gives
     * it an engine on an in-memory cluster that fails on demand.
     */
    int sync(Engine engine, ConsoleListener console, Supplier<String> requests, PrintWriter out, Clock clock)
            throws InterruptedException {
        int code = ExitCode.OK;
        for (AppReconciler app : engine.apps()) {
            PassOutcome outcome = app.reconcile();
            String summary = console.summary();
            if (!summary.isEmpty()) {
                out.println("app " + app.spec().name() + ": " + summary);
            }
            AppStatus s = app.status();
            out.printf(
                    "app %s: %s at commit %s%s%n",
                    app.spec().name(),
                    outcome.label(),
                    shortSha(s.commit()),
                    s.subject().isEmpty() ? "" : " \"" + s.subject() + "\"");
            report(app, outcome, out);
            code = Math.max(code, exitCode(outcome));
        }
        out.println(requests.get());
        out.flush();
        if (code != ExitCode.OK || noWait) {
            return code;
        }
        return follow(engine.apps(), out, clock.instant().plus(timeout), clock);
    }

    /** Exhaustive: an outcome added later does not compile until it has its exit code. */
    static int exitCode(PassOutcome outcome) {
        return switch (outcome) {
            case UNCHANGED, APPLIED, HEALED -> ExitCode.OK;
            case STALLED -> ExitCode.REJECTED;
            case RETRY -> ExitCode.UNAVAILABLE;
            case ERROR -> ExitCode.FAILED;
        };
    }

    /** Why a pass did not end well, under its app's name. */
    private static void report(AppReconciler app, PassOutcome outcome, PrintWriter out) {
        AppStatus s = app.status();
        String name = app.spec().name();
        switch (outcome) {
            case STALLED -> {
                out.println("app " + name + ": " + s.message());
                s.errors().forEach(e -> out.println("  " + e));
            }
            case RETRY -> out.println("app " + name + ": " + s.message());
            case ERROR ->
                out.println("app " + name + ": the pass crashed (a bug in Lockstep; the log has its stack" + " trace): "
                        + s.message());
            case UNCHANGED, APPLIED, HEALED -> {}
        }
    }

    /** Every rollout the apps follow, by Deployment: above a handful, one progress line replaces their messages. */
    private static Map<String, RolloutStatus> rollouts(List<AppReconciler> apps) {
        Map<String, RolloutStatus> all = new HashMap<>();
        apps.forEach(app -> all.putAll(app.status().deployments()));
        return all;
    }

    private int follow(List<AppReconciler> apps, PrintWriter out, Instant deadline, Clock clock)
            throws InterruptedException {
        Map<String, String> printed = new HashMap<>();
        RolloutProgress progress = new RolloutProgress(clock);
        while (true) {
            boolean progressing = false;
            boolean failed = false;
            for (AppReconciler app : apps) {
                if (app.refreshRollouts()) {
                    // onFailedRollout: revert — decide now, then follow the rollback too
                    PassOutcome outcome = app.reconcile();
                    if (outcome == PassOutcome.ERROR) {
                        report(app, outcome, out);
                        return ExitCode.FAILED;
                    }
                }
                AppStatus s = app.status();
                progressing |= s.health() == AppHealth.PROGRESSING;
                failed |= s.health() == AppHealth.FAILED;
            }
            Map<String, RolloutStatus> rollouts = rollouts(apps);
            boolean few = verbose || rollouts.size() <= ConsoleListener.HANDFUL;
            for (Map.Entry<String, RolloutStatus> d : rollouts.entrySet()) {
                String message = d.getValue().message();
                boolean named = few || d.getValue().state() == RolloutState.FAILED; // failures always named
                if (named && !message.equals(printed.put(d.getKey(), message))) {
                    out.println(message);
                    out.flush();
                }
            }
            if (!few) {
                progress.line(rollouts, !progressing).ifPresent(line -> {
                    out.println(line);
                    out.flush();
                });
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
