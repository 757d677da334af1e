package dev.lockstep.cli;

import dev.lockstep.cluster.ConfigMapAppRecords;
import dev.lockstep.cluster.ShardLeases;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.Revision;
import dev.lockstep.rollout.DeploymentRollout;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
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
        try (KubernetesClient client = KubeClients.create(options.kubeconfig)) {
            ConfigMapAppRecords store = new ConfigMapAppRecords(client, config.stateNamespace());
            // sharded: the replica holding each app's Lease is the one working on it
            Optional<ShardLeases> shards = config.sharding()
                    ? Optional.of(new ShardLeases(client, config.stateNamespace(), Clock.systemUTC()))
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
                for (InventoryEntry e : record.inventory()) {
                    if (!e.key().kind().equals("Deployment")) {
                        allGood &= workload(client, e, out);
                        continue;
                    }
                    Deployment live = client.apps()
                            .deployments()
                            .inNamespace(e.key().namespace())
                            .withName(e.key().name())
                            .get();
                    if (live == null) {
                        out.printf(
                                "  deployment %s/%s: missing%n",
                                e.key().namespace(), e.key().name());
                        allGood = false;
                        continue;
                    }
                    @SuppressWarnings("unchecked")
                    RolloutStatus s = DeploymentRollout.evaluate(
                            client.getKubernetesSerialization().convertValue(live, Map.class));
                    allGood &= s.state() == RolloutState.HEALTHY;
                    out.printf(
                            "  deployment %s/%s: %s, revision %d: %s%n",
                            e.key().namespace(), e.key().name(), s.state().display(), s.revision(), s.message());
                }
            }
        }
        out.flush();
        return allGood ? ExitCode.OK : ExitCode.FAILED;
    }

    /** A StatefulSet's, DaemonSet's, Job's, PVC's or LoadBalancer's state; other kinds print nothing. */
    private static boolean workload(KubernetesClient client, InventoryEntry e, PrintWriter out) {
        String kind = e.key().kind().toLowerCase(Locale.ROOT);
        if (!ObjectReadiness.mayJudge(e.key())) {
            return true;
        }
        var live = client.genericKubernetesResources(e.apiVersion(), e.key().kind())
                .inNamespace(e.key().namespace())
                .withName(e.key().name())
                .get();
        if (live == null) {
            out.printf(
                    "  %s %s/%s: missing%n", kind, e.key().namespace(), e.key().name());
            return false;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = client.getKubernetesSerialization().convertValue(live, Map.class);
        var state = ObjectReadiness.of(e.key(), object);
        if (state.isEmpty()) {
            return true; // a Service that is not a LoadBalancer
        }
        out.printf(
                "  %s %s/%s: %s: %s%n",
                kind,
                e.key().namespace(),
                e.key().name(),
                state.get().state().display(),
                state.get().message());
        return state.get().state() == RolloutState.HEALTHY;
    }

    private static String shortSha(String sha) {
        return sha.isEmpty() ? "(none)" : sha.matches("[0-9a-f]{40}") ? Revision.shortSha(sha) : sha;
    }
}
