package dev.lockstep.cli;

import dev.lockstep.cluster.ConfigMapAppRecords;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.config.WriteBackSpec;
import dev.lockstep.git.CommitWriter;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.history.HistoryQuery;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.writeback.RollbackCommit;
import dev.lockstep.writeback.RollbackCommits;
import dev.lockstep.writeback.RollbackTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "rollback",
        mixinStandardHelpOptions = true,
        description =
                "The GitOps form of `kubectl rollout undo`: finds the commit that made the revision in the cluster's "
                        + "history, then pushes the commit that brings its pod template back (a revert of the commits since, or "
                        + "the workload's file restored). The daemon (or `lockstep sync`) then rolls back by reusing the old "
                        + "ReplicaSet (Deployment) or ControllerRevision (StatefulSet, DaemonSet). A Job has no history. "
                        + "Needs writeBack in the app's config.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the commit was pushed (or, with --dry-run, shown)",
            "1:no such revision, it is the current one, or no Lockstep commit made it",
            "2:bad usage or configuration (e.g. the app has no writeBack)",
            "3:the push was refused (never forced); nothing changed",
            "4:git or the cluster could not be reached"
        })
final class RollbackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "WORKLOAD", description = "The Deployment, StatefulSet or DaemonSet (name) to roll back.")
    String deployment;

    @Option(
            names = "--to-revision",
            paramLabel = "N",
            description = "The revision to go back to (default: the previous one).")
    Long toRevision;

    @Option(names = "--dry-run", description = "Print the change the commit would make; push nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws ConfigException, GitSourceException {
        LockstepConfig config = options.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (KubernetesClient client = KubeClients.create(options.kubeconfig)) {
            ConfigMapAppRecords records = new ConfigMapAppRecords(client, config.stateNamespace());
            Optional<Managed> managed = find(config, records);
            if (managed.isEmpty()) {
                err.println(
                        deployment + " is not a Deployment, StatefulSet or DaemonSet managed by any configured app");
                return ExitCode.FAILED;
            }
            AppSpec app = managed.get().app();
            if (app.writeBack().isEmpty()) {
                err.println("app " + app.name()
                        + " has no writeBack: set writeBack.author in its config to let Lockstep push");
                return ExitCode.USAGE;
            }
            ResourceKey key = managed.get().key();
            if (ObjectReadiness.isJob(key)) {
                err.println("job " + key.name() + " has no revision history to roll back to: a Job's pod template"
                        + " cannot change; revert its commit in git instead");
                return ExitCode.FAILED;
            }
            Optional<HistoryQuery.Revisions> revisions =
                    KubeClients.historyQuery(client, config.stateNamespace()).revisions(key);
            if (revisions.isEmpty()) {
                err.println(key.kind().toLowerCase(java.util.Locale.ROOT) + " " + key.namespace() + "/" + key.name()
                        + " does not exist in the cluster");
                return ExitCode.FAILED;
            }
            RollbackTarget.Choice choice = RollbackTarget.choose(
                    revisions.get().list(),
                    revisions.get().current(),
                    toRevision == null ? OptionalLong.empty() : OptionalLong.of(toRevision));
            if (choice instanceof RollbackTarget.Choice.NotFound notFound) {
                err.println(key.kind().toLowerCase(java.util.Locale.ROOT) + " " + key.name() + ": " + notFound.why());
                return ExitCode.FAILED;
            }
            return rollBack(config, app, key, (RollbackTarget.Choice.Found) choice, out, err);
        }
    }

    private int rollBack(
            LockstepConfig config,
            AppSpec app,
            ResourceKey key,
            RollbackTarget.Choice.Found target,
            PrintWriter out,
            PrintWriter err)
            throws GitSourceException {
        WriteBackSpec wb = app.writeBack().orElseThrow();
        try (GitSource git = new GitSource(app.repo(), config.cacheDir())) {
            String head = git.fetch().commit();
            CommitWriter writer =
                    new CommitWriter(git, wb.authorName(), wb.authorEmail(), wb.signingKeyFile(), Clock.systemUTC());
            String why = "rolled back to revision " + target.revision() + " ("
                    + target.replicaSet().name() + ") with lockstep rollback";
            RollbackCommit commit = new RollbackCommits(git, writer, app.path())
                    .build(head, target.commit(), key, why, "rollback", app.name());
            if (!(commit instanceof RollbackCommit.Ready ready)) {
                err.println("deployment " + key.name() + ": "
                        + (commit instanceof RollbackCommit.Unneeded u
                                ? u.why()
                                : ((RollbackCommit.Impossible) commit).why()));
                return ExitCode.FAILED;
            }
            Revision made = git.revision(ready.commit());
            if (dryRun) {
                out.println("would push onto " + Revision.shortSha(head) + ": " + made.subject());
                out.print(writer.diff(head, ready.commit()));
                out.flush();
                return ExitCode.OK;
            }
            GitSource.PushOutcome pushed = git.push(ready.commit());
            if (pushed instanceof GitSource.PushOutcome.Refused refused) {
                err.println("push refused, nothing forced: " + refused.reason());
                return ExitCode.REJECTED;
            }
            out.println("pushed " + made.shortSha() + " " + made.subject());
            out.println("the daemon (or lockstep sync) applies it: " + key.name() + " goes back to revision "
                    + target.revision() + " by reusing "
                    + (key.kind().equals("Deployment") ? "ReplicaSet " : "ControllerRevision ")
                    + target.replicaSet().name());
            out.flush();
            return ExitCode.OK;
        }
    }

    private record Managed(AppSpec app, ResourceKey key) {}

    /** The app whose inventory has this Deployment (the --app one, if given). */
    private Optional<Managed> find(LockstepConfig config, ConfigMapAppRecords records) {
        for (AppSpec app : config.apps()) {
            AppRecord record = records.load(app.name()).orElse(AppRecord.EMPTY);
            List<ResourceKey> keys = record.inventory().stream()
                    .map(e -> e.key())
                    .filter(k -> ObjectReadiness.followsRollout(k) && k.name().equals(deployment))
                    .toList();
            if (!keys.isEmpty()) {
                return Optional.of(new Managed(app, keys.get(0)));
            }
        }
        return Optional.empty();
    }
}
