package dev.lockstep.cli;

import dev.lockstep.cluster.ConfigMapAppRecords;
import dev.lockstep.cluster.ReplicaSetLister;
import dev.lockstep.cluster.ReplicaSets;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.history.DeploymentHistory;
import dev.lockstep.history.HistoryTable;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.rollout.DeploymentRollout;
import dev.lockstep.rollout.RolloutStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = "Print each Deployment's revision history with the git commit behind every revision. "
                + "Built from the cluster alone (ReplicaSets and the app's record).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:history printed",
            "1:the named Deployment is not managed by Lockstep",
            "2:bad usage or configuration",
            "4:the cluster could not be reached"
        })
final class HistoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Parameters(arity = "0..1", paramLabel = "DEPLOYMENT", description = "Only this Deployment (name).")
    String deployment;

    @Override
    public Integer call() throws ConfigException {
        LockstepConfig config = options.load();
        PrintWriter out = spec.commandLine().getOut();
        int shown = 0;
        try (KubernetesClient client = KubeClients.create(options.kubeconfig)) {
            ConfigMapAppRecords store = new ConfigMapAppRecords(client, config.stateNamespace());
            ReplicaSets replicaSets = new ReplicaSets(client);
            for (AppSpec app : config.apps()) {
                AppRecord record = store.load(app.name()).orElse(AppRecord.EMPTY);
                for (InventoryEntry e : record.inventory()) {
                    if (!e.key().kind().equals("Deployment")
                            || (deployment != null && !deployment.equals(e.key().name()))) {
                        continue;
                    }
                    Deployment live = client.apps()
                            .deployments()
                            .inNamespace(e.key().namespace())
                            .withName(e.key().name())
                            .get();
                    if (live == null) {
                        continue;
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> deployment =
                            client.getKubernetesSerialization().convertValue(live, Map.class);
                    RolloutStatus status = DeploymentRollout.evaluate(deployment);
                    String name = e.key().namespace() + "/" + e.key().name();
                    if (shown++ > 0) {
                        out.println();
                    }
                    out.println("deployment " + name + " (app " + app.name() + ", at revision " + status.revision()
                            + ": " + status.state().display() + ")");
                    out.print(HistoryTable.render(DeploymentHistory.rows(
                            name,
                            replicaSets.ownedBy(
                                    e.key().namespace(), e.key().name(), ReplicaSetLister.selectorOf(deployment)),
                            status,
                            record.history())));
                }
            }
        }
        if (shown == 0) {
            spec.commandLine()
                    .getErr()
                    .println(
                            deployment == null
                                    ? "no Deployments managed by Lockstep yet"
                                    : "deployment " + deployment + " is not managed by any configured app");
            return deployment == null ? ExitCode.OK : ExitCode.FAILED;
        }
        out.flush();
        return ExitCode.OK;
    }
}
