package dev.lockstep.cli;

import dev.lockstep.cluster.ClusterException;
import dev.lockstep.config.ConfigException;
import dev.lockstep.git.GitSourceException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "lockstep",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "GitOps for Kubernetes that keeps Deployment revision history in lockstep with git history: "
                + "git push deploys, git revert rolls back.",
        subcommands = {
            RunCommand.class,
            SyncCommand.class,
            DiffCommand.class,
            HistoryCommand.class,
            StatusCommand.class,
            RollbackCommand.class,
            PruneCommand.class,
            ValidateCommand.class,
            RenderCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:a rollout failed / differences found / invalid manifests",
            "2:bad usage or configuration",
            "3:a commit was refused",
            "4:git or the cluster unreachable",
            "5:timed out"
        })
public final class Main {
    Main() {}

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command and returns its exit code; never calls System.exit (tests call this). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        var quick = QuickHelp.answer(args);
        if (quick.isPresent()) {
            out.print(quick.get());
            out.flush();
            return ExitCode.OK;
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("lockstep " + commandLine.getCommandName() + ": " + message(e));
            commandLine.getErr().flush();
            return exitCode(e);
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String message(Exception e) {
        return e instanceof ConfigException ? e.getMessage() : e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static int exitCode(Exception e) {
        if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
            return ExitCode.USAGE;
        }
        if (e instanceof ClusterException
                || e instanceof KubernetesClientException
                || e instanceof GitSourceException) {
            return ExitCode.UNAVAILABLE;
        }
        return ExitCode.FAILED;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lockstep " + (v == null ? "dev" : v)};
        }
    }
}
