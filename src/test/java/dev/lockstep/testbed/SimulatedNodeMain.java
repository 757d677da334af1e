package dev.lockstep.testbed;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Runs a {@link SimulatedNode} until the process is stopped, for the demo script and for a local control plane by
 * hand. Test code, not part of the product jar; run it with the test classes on the class path:
 * {@code java -cp target/test-classes:target/lockstep.jar dev.lockstep.testbed.SimulatedNodeMain --kubeconfig PATH
 * [--unready-images REGEX] [--ready-delay-ms N] [--node-name NAME]}.
 * Without {@code --kubeconfig} the usual KUBECONFIG / ~/.kube/config lookup applies.
 */
@Command(
        name = "SimulatedNodeMain",
        sortOptions = false,
        sortSynopsis = false,
        usageHelpAutoWidth = true,
        description =
                "Stands in for the scheduler and the kubelet until stopped: binds pods, marks them Running and Ready, "
                        + "removes pods being deleted. Demo and tests only, never on a real cluster.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped (SIGTERM, Ctrl-C) or --help", "1:failed to start", "2:bad usage"})
public final class SimulatedNodeMain implements Callable<Integer> {

    /** Parsed command line. */
    record Options(Optional<File> kubeconfig, SimulatedNodeConfig node) {}

    @Option(
            names = "--kubeconfig",
            paramLabel = "PATH",
            converter = ExistingFile.class,
            description = "kubeconfig of the cluster (default: $KUBECONFIG, then ~/.kube/config)")
    private File kubeconfig;

    @Option(
            names = "--unready-images",
            paramLabel = "REGEX",
            converter = Regex.class,
            description = "pods with an image matching this (whole string) run but never become Ready; the namespace "
                    + "annotation " + SimulatedNodeConfig.UNREADY_IMAGES_ANNOTATION + " overrides it (default: none)")
    private Pattern unreadyImages = SimulatedNodeConfig.NO_IMAGES;

    @Option(
            names = "--ready-delay-ms",
            paramLabel = "N",
            converter = Millis.class,
            description = "time between binding a pod and reporting it Running, in ms (default: 0)")
    private Duration readyDelay = Duration.ZERO;

    @Option(
            names = "--node-name",
            paramLabel = "NAME",
            converter = NodeName.class,
            description = "name of the Node object it registers (default: sim-node-1)")
    private String nodeName = SimulatedNodeConfig.defaults().nodeName();

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "show this help and exit")
    private boolean help;

    private final ToIntFunction<Options> body;

    SimulatedNodeMain(ToIntFunction<Options> body) {
        this.body = body;
    }

    public static void main(String[] args) {
        System.exit(execute(
                SimulatedNodeMain::runUntilStopped,
                new PrintWriter(System.out, true),
                new PrintWriter(System.err, true),
                args));
    }

    /**
     * Parses {@code args} and hands the options to {@code body}. Bad input prints the problem and the usage to
     * {@code err} and returns 2 without calling {@code body}; {@code --help} prints the usage to {@code out} and returns 0.
     */
    static int execute(ToIntFunction<Options> body, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new SimulatedNodeMain(body));
        cli.setOut(out);
        cli.setErr(err);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    Options options() {
        SimulatedNodeConfig node = SimulatedNodeConfig.defaults()
                .withNodeName(nodeName)
                .withReadyDelay(readyDelay)
                .withUnreadyImages(unreadyImages);
        return new Options(Optional.ofNullable(kubeconfig), node);
    }

    @Override
    public Integer call() {
        return body.applyAsInt(options());
    }

    /** Runs the node until the JVM is asked to stop; returns 0 once the node and its client are closed. */
    private static int runUntilStopped(Options options) {
        Config config = options.kubeconfig().map(Config::fromKubeconfig).orElseGet(() -> Config.autoConfigure(null));
        CountDownLatch stopped = new CountDownLatch(1);
        KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build();
        SimulatedNode node = new SimulatedNode(client, options.node()).start();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            node.close();
                            client.close();
                            stopped.countDown();
                        },
                        "sim-node-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return CommandLine.ExitCode.OK;
    }

    static final class ExistingFile implements ITypeConverter<File> {
        @Override
        public File convert(String value) {
            File file = new File(value);
            if (!file.isFile()) {
                throw new TypeConversionException("kubeconfig not found: " + value);
            }
            return file;
        }
    }

    static final class Regex implements ITypeConverter<Pattern> {
        @Override
        public Pattern convert(String value) {
            try {
                return Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new TypeConversionException("not a regex: " + e.getDescription());
            }
        }
    }

    static final class Millis implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                long ms = Long.parseLong(value);
                if (ms >= 0) {
                    return Duration.ofMillis(ms);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("needs a whole number >= 0, got " + value);
        }
    }

    static final class NodeName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.isBlank()) {
                throw new TypeConversionException("must not be blank");
            }
            return value;
        }
    }
}
