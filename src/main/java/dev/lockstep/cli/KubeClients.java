package dev.lockstep.cli;

import dev.lockstep.cluster.ConfigMapAppRecords;
import dev.lockstep.cluster.KubeControllerRevisions;
import dev.lockstep.cluster.KubeObjectReader;
import dev.lockstep.cluster.NamedTaskExecutor;
import dev.lockstep.cluster.ReplicaSets;
import dev.lockstep.history.HistoryQuery;
import io.fabric8.kubernetes.client.Config;
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
        KubernetesClientBuilder builder =
                new KubernetesClientBuilder().withTaskExecutorSupplier(new NamedTaskExecutor("kube-task"));
        if (tally != null) {
            builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("request-tally", tally));
        }
        if (kubeconfig == null) {
            return builder.build();
        }
        try {
            return builder.withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
                    .build();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
        }
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
