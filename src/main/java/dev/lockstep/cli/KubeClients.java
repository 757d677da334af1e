package dev.lockstep.cli;

import dev.lockstep.cluster.ClusterReads;
import dev.lockstep.cluster.ConfigMapAppRecords;
import dev.lockstep.cluster.KubeControllerRevisions;
import dev.lockstep.cluster.KubeObjectReader;
import dev.lockstep.cluster.NamedTaskExecutor;
import dev.lockstep.cluster.QuickKubeconfig;
import dev.lockstep.cluster.ReplicaSets;
import dev.lockstep.history.HistoryQuery;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A client from --kubeconfig when given, else the usual places (KUBECONFIG, ~/.kube/config, in-cluster). */
final class KubeClients {
    private KubeClients() {}

    static KubernetesClient create(Path kubeconfig) {
        return create(kubeconfig, null);
    }

    /** @param tally counts the dry runs and writes sent, when not null */
    static KubernetesClient create(Path kubeconfig, RequestTally tally) {
        return create(config(kubeconfig), tally);
    }

    private static KubernetesClient create(Config config, RequestTally tally) {
        KubernetesClientBuilder builder = new KubernetesClientBuilder()
                .withConfig(config)
                .withTaskExecutorSupplier(new NamedTaskExecutor("kube-task"));
        if (tally != null) {
            builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("request-tally", tally));
        }
        return builder.build();
    }

    /**
     * For the read-only commands ({@code status}, {@code history}): raw reads on the same config, the full client
     * only if they meet something the raw reads leave to it. The config is parsed without fabric8's class-path scan
     * where {@link QuickKubeconfig} can give the same config; otherwise fabric8 configures itself, as for every other
     * command.
     */
    static ClusterReads reads(Path kubeconfig) {
        Config config = kubeconfig == null
                ? QuickKubeconfig.auto(System.getenv(), System.getProperties()).orElseGet(() -> config(null))
                : QuickKubeconfig.fromContents(read(kubeconfig));
        return new ClusterReads(config, c -> create(c, null));
    }

    /** The kubeconfig's config, or what the full client would find by itself (fabric8's autoconfiguration). */
    static Config config(Path kubeconfig) {
        if (kubeconfig == null) {
            return new ConfigBuilder().build(); // what KubernetesClientBuilder uses when given no config
        }
        return Config.fromKubeconfig(read(kubeconfig));
    }

    private static String read(Path kubeconfig) {
        try {
            return Files.readString(kubeconfig);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
        }
    }

    /** The read model for status and history: records, workloads and revisions read raw. */
    static HistoryQuery historyQuery(ClusterReads reads, String stateNamespace) {
        return new HistoryQuery(
                reads.objects(), reads.replicaSets(), reads.controllerRevisions(), reads.records(stateNamespace));
    }

    /** The read model on {@code client}: one GET per workload, its revisions listed, the records in {@code stateNamespace}. */
    static HistoryQuery historyQuery(KubernetesClient client, String stateNamespace) {
        return new HistoryQuery(
                new KubeObjectReader(client),
                new ReplicaSets(client),
                new KubeControllerRevisions(client),
                new ConfigMapAppRecords(client, stateNamespace));
    }
}
