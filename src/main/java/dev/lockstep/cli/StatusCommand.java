package dev.lockstep.cli;

import dev.lockstep.cluster.AppRecords;
import dev.lockstep.cluster.ClusterReads;
import dev.lockstep.cluster.ShardLeases;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.history.ObjectState;
import dev.lockstep.history.ObjectStates;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.Revision;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "Print each app's state: the commit the cluster is at, the git head, every Deployment's rollout and the"
                        + " state of its StatefulSets, DaemonSets, Jobs, PersistentVolumeClaims and LoadBalancer"
                        + " Services.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every app is at its git head and healthy",
            "1:an app is behind git, progressing or failed",
            "2:bad usage or configuration",
            "4:the cluster could not be reached"
        })
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws ConfigException {
        LockstepConfig config = options.load();
        PrintWriter out = spec.commandLine().getOut();
        boolean allGood = true;
        try (ClusterReads cluster = KubeClients.reads(options.kubeconfig)) {
            AppRecords store = cluster.records(config.stateNamespace());
            ObjectStates states = new ObjectStates(cluster.objects());
            // sharded: the replica holding each app's Lease is the one working on it (read by the full client)
            Optional<ShardLeases> shards = config.sharding()
                    ? Optional.of(new ShardLeases(cluster.fullClient(), config.stateNamespace(), Clock.systemUTC()))
                    : Optional.empty();
            for (AppSpec app : config.apps()) {
                AppRecord record = store.load(app.name()).orElse(AppRecord.EMPTY);
                String head;
                try (GitSource git = new GitSource(app.repo(), config.cacheDir())) {
                    head = git.remoteHead();
                } catch (GitSourceException e) {
                    head = "unreachable (" + e.getMessage() + ")";
                }
                boolean atHead = !record.commit().isEmpty() && record.commit().equals(head);
                allGood &= atHead;
                out.printf(
                        "app %s: cluster at %s, git head %s%s%s%n",
                        app.name(),
                        shortSha(record.commit()),
                        shortSha(head),
                        atHead ? "" : record.commit().isEmpty() ? " (never applied)" : " (behind)",
                        shards.map(s -> ", owner " + s.holder(app.name()).orElse("none (no replica holds its Lease)"))
                                .orElse(""));
                for (ObjectState object : states.of(record)) {
                    allGood &= printed(object, out);
                }
            }
        }
        out.flush();
        return allGood ? ExitCode.OK : ExitCode.FAILED;
    }

    /** "  deployment ns/name: Healthy, revision 2: ...", "  statefulset ns/name: Progressing: ...", "...: missing". */
    private static boolean printed(ObjectState object, PrintWriter out) {
        String name = object.key().namespace() + "/" + object.key().name();
        String kind = object.key().kind().toLowerCase(Locale.ROOT);
        if (object.state().isEmpty()) {
            out.printf("  %s %s: missing%n", kind, name);
            return false;
        }
        RolloutStatus s = object.state().get();
        if (ObjectReadiness.isDeployment(object.key())) {
            out.printf(
                    "  %s %s: %s, revision %d: %s%s%n",
                    kind,
                    name,
                    s.state().display(),
                    s.revision(),
                    s.message(),
                    object.renderedBy().isEmpty() ? "" : " (rendered by " + object.renderedBy() + ")");
        } else {
            out.printf("  %s %s: %s: %s%n", kind, name, s.state().display(), s.message());
        }
        return s.state() == RolloutState.HEALTHY;
    }

    private static String shortSha(String sha) {
        return sha.isEmpty() ? "(none)" : sha.matches("[0-9a-f]{40}") ? Revision.shortSha(sha) : sha;
    }
}
