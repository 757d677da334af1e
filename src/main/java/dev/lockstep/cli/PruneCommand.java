package dev.lockstep.cli;

import dev.lockstep.cluster.ConfigMapAppRecords;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.PruneHold;
import dev.lockstep.model.Revision;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Shows what a refused prune holds and, with {@code --confirm}, confirms exactly that hold: the annotation on the app's
 * record names the hold's token, and the daemon deletes those objects on its next pass. The daemon does the deleting
 * (and updates its record) so this command never races it.
 */
@Command(
        name = "prune",
        mixinStandardHelpOptions = true,
        description = "Show the objects a refused prune holds; with --confirm, let the daemon delete them.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:nothing held, or the hold shown (and confirmed with --confirm)",
            "2:bad usage or configuration (--app is required)",
            "4:the cluster could not be reached"
        })
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(names = "--confirm", description = "Confirm the hold shown: the daemon deletes these objects.")
    boolean confirm;

    @Override
    public Integer call() throws ConfigException {
        PrintWriter out = spec.commandLine().getOut();
        if (options.app == null) {
            spec.commandLine().getErr().println("prune: --app is required (a confirmation is for one app)");
            return ExitCode.USAGE;
        }
        LockstepConfig config = options.load();
        String app = options.app;
        try (KubernetesClient client = KubeClients.create(options.kubeconfig)) {
            ConfigMapAppRecords records = new ConfigMapAppRecords(client, config.stateNamespace());
            PruneHold hold = records.load(app).map(AppRecord::pruneHold).orElse(PruneHold.NONE);
            if (hold.isEmpty()) {
                out.printf("app %s: no prune is held%n", app);
                out.flush();
                return ExitCode.OK;
            }
            out.printf(
                    "app %s: %d objects held since commit %s (their prune was refused); %s:%n",
                    app,
                    hold.objects().size(),
                    Revision.shortSha(hold.commit()),
                    confirm ? "the daemon deletes them on its next pass" : "confirming would delete");
            for (InventoryEntry e : hold.objects()) {
                out.printf("  %s%n", e.key());
            }
            if (!confirm) {
                out.printf("run again with --confirm to delete them (hold %s)%n", hold.token());
            } else {
                records.confirmPrune(app, hold.token());
                out.printf(
                        "confirmed: %s=%s on ConfigMap %s/%s%n",
                        MetadataKeys.CONFIRM_PRUNE,
                        hold.token(),
                        config.stateNamespace(),
                        ConfigMapAppRecords.configMapName(app));
            }
        }
        out.flush();
        return ExitCode.OK;
    }
}
