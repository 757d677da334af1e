package dev.lockstep.cluster;

import dev.lockstep.model.ResourceKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Optional;

/** {@link ObjectReader} by one GET per object: for a command that reads a few objects once, with no watch to keep. */
public final class KubeObjectReader implements ObjectReader {
    private final KubernetesClient client;

    public KubeObjectReader(KubernetesClient client) {
        this.client = client;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> get(String apiVersion, ResourceKey key) {
        try {
            var live = client.genericKubernetesResources(apiVersion, key.kind())
                    .inNamespace(key.namespace())
                    .withName(key.name())
                    .get();
            return live == null
                    ? Optional.empty()
                    : Optional.of(client.getKubernetesSerialization().convertValue(live, Map.class));
        } catch (KubernetesClientException e) {
            // the server's words as they are: the command prints them
            throw new ClusterException(e.getMessage(), e.getCode(), e);
        }
    }
}
