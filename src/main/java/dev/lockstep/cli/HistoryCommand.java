package dev.lockstep.cli;

import dev.lockstep.cluster.ClusterReads;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.history.HistoryQuery;
import dev.lockstep.history.WorkloadHistory;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = "Print each Deployment's, StatefulSet's and DaemonSet's revision history with the git commit "
                + "behind every revision. Built from the cluster alone (ReplicaSets, ControllerRevisions and the "
                + "app's record). A Job has none: its pod template cannot change.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:history printed",
            "1:the named workload is not managed by Lockstep",
            "2:bad usage or configuration",
            "4:the cluster could not be reached"
        })
final class HistoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Parameters(
            arity = "0..1",
            paramLabel = "WORKLOAD",
            description = "Only this Deployment, StatefulSet, DaemonSet or Job (name).")
    String deployment;

    @Override
    public Integer call() throws ConfigException {
        LockstepConfig config = options.load();
        PrintWriter out = spec.commandLine().getOut();
        int shown = 0;
        try (ClusterReads cluster = KubeClients.reads(options.kubeconfig)) {
            HistoryQuery query = KubeClients.historyQuery(cluster, config.stateNamespace());
            for (AppSpec app : config.apps()) {
                for (WorkloadHistory history : query.ofApp(app.name(), Optional.ofNullable(deployment))) {
                    if (shown++ > 0) {
                        out.println();
                    }
                    out.print(HistoryText.of(app.name(), history));
                }
            }
        }
        if (shown == 0) {
            spec.commandLine()
                    .getErr()
                    .println(
                            deployment == null
                                    ? "no workloads managed by Lockstep yet"
                                    : deployment + " is not a workload managed by any configured app");
            return deployment == null ? ExitCode.OK : ExitCode.FAILED;
        }
        out.flush();
        return ExitCode.OK;
    }
}
