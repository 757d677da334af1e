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
        return byOwner(namespace).getOrDefault(deploymentName, List.of());
    }

    /** Every Deployment-owned ReplicaSet of a namespace, by owner name, oldest first: one request for many Deployments. */
    public Map<String, List<ReplicaSetInfo>> byOwner(String namespace) {
        List<ReplicaSet> items;
        try {
            items = client.apps().replicaSets().inNamespace(namespace).list().getItems();
        } catch (KubernetesClientException e) {
            throw new ClusterException("cannot list ReplicaSets in " + namespace + ": " + e.getMessage(), e.getCode(), e);
        }
        Map<String, List<ReplicaSetInfo>> out = new java.util.HashMap<>();
        for (ReplicaSet rs : items) {
            owner(rs).ifPresent(owner -> out.computeIfAbsent(owner, k -> new java.util.ArrayList<>()).add(info(rs)));
        }
        out.values().forEach(list -> list.sort(Comparator.comparing(ReplicaSetInfo::created).thenComparing(ReplicaSetInfo::name)));
        return out;
    }

    private static java.util.Optional<String> owner(ReplicaSet rs) {
        List<OwnerReference> owners = rs.getMetadata().getOwnerReferences();
        return owners == null ? java.util.Optional.empty() : owners.stream()
                .filter(o -> "Deployment".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()))
                .map(OwnerReference::getName).findFirst();
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
