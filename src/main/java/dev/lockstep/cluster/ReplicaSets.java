package dev.lockstep.cluster;

import dev.lockstep.util.Tree;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads a Deployment's ReplicaSets. Only called when a pod template changes or history is shown, never on a
 * pass with nothing to do.
 */
public final class ReplicaSets {
    private final KubernetesClient client;

    public ReplicaSets(KubernetesClient client) {
        this.client = client;
    }

    /** The ReplicaSets a Deployment owns, oldest first. */
    public List<ReplicaSetInfo> ownedBy(String namespace, String deploymentName) {
        try {
            return client.apps().replicaSets().inNamespace(namespace).list().getItems().stream()
                    .filter(rs -> ownedBy(rs, deploymentName))
                    .map(this::info)
                    .sorted(Comparator.comparing(ReplicaSetInfo::created).thenComparing(ReplicaSetInfo::name))
                    .toList();
        } catch (KubernetesClientException e) {
            throw new ClusterException("cannot list ReplicaSets in " + namespace + ": " + e.getMessage(), e.getCode(), e);
        }
    }

    private static boolean ownedBy(ReplicaSet rs, String deploymentName) {
        List<OwnerReference> owners = rs.getMetadata().getOwnerReferences();
        return owners != null && owners.stream()
                .anyMatch(o -> "Deployment".equals(o.getKind()) && deploymentName.equals(o.getName()) && Boolean.TRUE.equals(o.getController()));
    }

    @SuppressWarnings("unchecked")
    private ReplicaSetInfo info(ReplicaSet rs) {
        Map<String, Object> body = client.getKubernetesSerialization().convertValue(rs, Map.class);
        Map<String, Object> template = Tree.deepCopy(Tree.map(body, "spec", "template"));
        // The controller adds pod-template-hash to the RS's template; the Deployment's template never has it.
        Map<String, Object> labels = Tree.ensureMap(template, "metadata", "labels");
        labels.remove(Labels.POD_TEMPLATE_HASH);
        if (labels.isEmpty()) {
            Tree.ensureMap(template, "metadata").remove("labels");
        }
        Map<String, String> annotations = rs.getMetadata().getAnnotations() == null ? Map.of() : Map.copyOf(rs.getMetadata().getAnnotations());
        String created = rs.getMetadata().getCreationTimestamp();
        return new ReplicaSetInfo(rs.getMetadata().getName(), rs.getMetadata().getUid(),
                parseLong(annotations.get(Labels.DEPLOYMENT_REVISION)),
                annotations, template, created == null ? Instant.EPOCH : Instant.parse(created),
                rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0 : rs.getStatus().getReplicas());
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
