package dev.lockstep.cli;

import dev.lockstep.cluster.ConfigMapAppRecords;
import dev.lockstep.cluster.ControllerRevisions;
import dev.lockstep.cluster.KubeControllerRevisions;
import dev.lockstep.cluster.ReplicaSetLister;
import dev.lockstep.cluster.ReplicaSets;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.history.DeploymentHistory;
import dev.lockstep.history.HistoryTable;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.rollout.CurrentRevision;
import dev.lockstep.rollout.DeploymentRollout;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.rollout.RolloutStatus;
import dev.lockstep.util.Tree;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
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
        try (KubernetesClient client = KubeClients.create(options.kubeconfig)) {
            ConfigMapAppRecords store = new ConfigMapAppRecords(client, config.stateNamespace());
            ReplicaSets replicaSets = new ReplicaSets(client);
            ControllerRevisions revisions = new KubeControllerRevisions(client);
            for (AppSpec app : config.apps()) {
                AppRecord record = store.load(app.name()).orElse(AppRecord.EMPTY);
                for (InventoryEntry e : record.inventory()) {
                    if (!ObjectReadiness.followsRollout(e.key())
                            || (deployment != null && !deployment.equals(e.key().name()))) {
                        continue;
                    }
                    if (!e.key().kind().equals("Deployment")) {
                        if (shown > 0) {
                            out.println();
                        }
                        shown += workloadHistory(client, revisions, app, record, e, out) ? 1 : 0;
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
                            e.key(),
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
                                    ? "no workloads managed by Lockstep yet"
                                    : deployment + " is not a workload managed by any configured app");
            return deployment == null ? ExitCode.OK : ExitCode.FAILED;
        }
        out.flush();
        return ExitCode.OK;
    }

    /** A StatefulSet's or DaemonSet's history from its ControllerRevisions; a Job's state and why it has none. */
    private static boolean workloadHistory(
            KubernetesClient client,
            ControllerRevisions revisions,
            AppSpec app,
            AppRecord record,
            InventoryEntry e,
            PrintWriter out) {
        var live = client.genericKubernetesResources(e.apiVersion(), e.key().kind())
                .inNamespace(e.key().namespace())
                .withName(e.key().name())
                .get();
        if (live == null) {
            return false;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = client.getKubernetesSerialization().convertValue(live, Map.class);
        RolloutStatus state = ObjectReadiness.of(e.key(), object).orElseThrow();
        String kind = e.key().kind().toLowerCase(Locale.ROOT);
        String name = e.key().namespace() + "/" + e.key().name();
        if (!ObjectReadiness.hasControllerRevisions(e.key())) {
            out.println(kind + " " + name + " (app " + app.name() + ": "
                    + state.state().display() + ", " + state.message() + ")");
            out.println("no revision history: a Job's pod template cannot change; a new Job is a new object");
            return true;
        }
        List<ControllerRevisionInfo> owned = revisions.ownedBy(
                e.key().namespace(), e.key().kind(), e.key().name(), ReplicaSetLister.selectorOf(object));
        long revision = CurrentRevision.of(object, owned)
                .map(ControllerRevisionInfo::revision)
                .orElse(0L);
        RolloutStatus status = DeploymentHistory.withRecordedFailure(
                e.key(),
                new RolloutStatus(state.state(), state.message(), revision),
                Tree.string(object, "metadata", "annotations", MetadataKeys.COMMIT)
                        .orElse(""),
                record.history());
        out.println(kind + " " + name + " (app " + app.name() + ", at revision " + revision + ": "
                + status.state().display() + ")");
        out.print(HistoryTable.render(
                DeploymentHistory.rows(
                        e.key(),
                        owned.stream()
                                .map(ControllerRevisionInfo::asRevisionRow)
                                .toList(),
                        status,
                        record.history()),
                "CONTROLLERREVISION"));
        return true;
    }
}
