package dev.lockstep.testbed;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Runs a {@link SimulatedNode} until the process is killed, for the demo script:
 * {@code java -cp target/lockstep.jar dev.lockstep.testbed.SimulatedNodeMain --kubeconfig PATH
 * [--unready-images REGEX] [--ready-delay-ms N] [--node-name NAME]}.
 * Without {@code --kubeconfig} the usual KUBECONFIG / ~/.kube/config lookup applies.
 */
public final class SimulatedNodeMain {

    static final String USAGE = "usage: SimulatedNodeMain [--kubeconfig PATH] [--unready-images REGEX]"
            + " [--ready-delay-ms N] [--node-name NAME]";

    /** Parsed command line. */
    record Options(Optional<File> kubeconfig, SimulatedNodeConfig node) {
    }

    private SimulatedNodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            usage(System.err, e.getMessage());
            System.exit(2);
            return;
        }
        Config config = options.kubeconfig().map(Config::fromKubeconfig).orElseGet(() -> Config.autoConfigure(null));
        CountDownLatch stopped = new CountDownLatch(1);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        SimulatedNode node = new SimulatedNode(client, options.node()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            client.close();
            stopped.countDown();
        }, "sim-node-shutdown"));
        stopped.await();
    }

    static Options parse(String[] args) {
        File kubeconfig = null;
        SimulatedNodeConfig node = SimulatedNodeConfig.defaults();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--kubeconfig" -> kubeconfig = new File(value);
                case "--node-name" -> node = node.withNodeName(value);
                case "--unready-images" -> node = node.withUnreadyImages(regex(value));
                case "--ready-delay-ms" -> node = node.withReadyDelay(Duration.ofMillis(millis(value)));
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (kubeconfig != null && !kubeconfig.isFile()) {
            throw new IllegalArgumentException("kubeconfig not found: " + kubeconfig);
        }
        return new Options(Optional.ofNullable(kubeconfig), node);
    }

    private static Pattern regex(String value) {
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--unready-images is not a regex: " + e.getDescription());
        }
    }

    private static long millis(String value) {
        try {
            long ms = Long.parseLong(value);
            if (ms < 0) {
                throw new NumberFormatException();
            }
            return ms;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ready-delay-ms needs a whole number >= 0, got " + value);
        }
    }

    private static void usage(PrintStream out, String problem) {
        out.println(problem);
        out.println(USAGE);
    }
}
