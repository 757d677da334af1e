package dev.lockstep.cli;

import dev.lockstep.cluster.KubeCluster;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.plan.Change;
import dev.lockstep.plan.ObjectDiff;
import dev.lockstep.plan.Plan;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.engine.Engine;
import dev.lockstep.reconcile.pass.Preview;
import dev.lockstep.reconcile.report.ReconcileListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description =
                "Show what a sync would change: a unified diff per object (live vs. the server's dry run of git), "
                        + "Secret values masked, and the objects a prune would delete. Writes nothing.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:no differences",
            "1:differences found",
            "2:bad usage or configuration",
            "3:the commit would be refused",
            "4:git or the cluster could not be reached"
        })
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(
            names = {"-v", "--verbose"},
            description = "Also say how many dry runs the diff took (none for objects unchanged since applied).")
    boolean verbose;

    @Override
    public Integer call() throws ConfigException {
        LockstepConfig config = options.load(true);
        PrintWriter out = spec.commandLine().getOut();
        int code = ExitCode.OK;
        RequestTally tally = new RequestTally();
        try (KubernetesClient client = KubeClients.create(options.kubeconfig, tally);
                Engine engine = new Engine(
                        config,
                        KubeCluster.connect(client, config.stateNamespace()),
                        ReconcileListener.NONE,
                        Clock.systemUTC())) {
            for (AppReconciler app : engine.apps()) {
                Preview preview = app.preview();
                if (preview.plan().isEmpty()) {
                    preview.errors()
                            .forEach(e -> out.println("app " + app.spec().name() + ": error: " + e));
                    code = Math.max(code, preview.commit() == null ? ExitCode.UNAVAILABLE : ExitCode.REJECTED);
                    continue;
                }
                Plan plan = preview.plan().get();
                for (Change c : plan.changes()) {
                    if (!c.writes()) {
                        continue;
                    }
                    String diff = ObjectDiff.unified(
                            c.key().toString(),
                            c.live().orElse(null),
                            c.predicted().orElse(c.body()),
                            preview.secretValues());
                    if (c.adopting().isPresent()) {
                        // ownership moves even where no value changes: say so before the diff
                        out.println("# " + c.key() + ": " + c.adopting().get().describe());
                        code = Math.max(code, ExitCode.FAILED);
                    }
                    if (!diff.isEmpty()) {
                        out.print(diff);
                        code = Math.max(code, ExitCode.FAILED);
                    }
                }
                for (InventoryEntry orphan : plan.orphans()) {
                    out.println("--- live/" + orphan.key() + "\n+++ /dev/null\n(would be pruned"
                            + (app.spec().prune() ? "" : "; prune is off") + ")");
                    code = Math.max(code, ExitCode.FAILED);
                }
            }
        }
        if (verbose) {
            out.println(tally.summary());
        }
        out.flush();
        return code;
    }
}
