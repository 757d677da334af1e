package dev.lockstep.cluster;

import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.util.Tree;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link ControllerRevisions} on the API server. */
public final class KubeControllerRevisions implements ControllerRevisions {
    /** On a StatefulSet's pods, the name of the ControllerRevision each was made from. */
    private static final String REVISION_LABEL = "controller-revision-hash";

    private final KubernetesClient client;

    public KubeControllerRevisions(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public List<ControllerRevisionInfo> ownedBy(
            String namespace, String ownerKind, String ownerName, Map<String, String> selector) {
        List<ControllerRevision> items;
        try {
            var inNamespace = client.apps().controllerRevisions().inNamespace(namespace);
            // resourceVersion=0: answered from the API server's watch cache, as for ReplicaSets.
            items = (selector.isEmpty() ? inNamespace : inNamespace.withLabels(selector))
                    .list(new ListOptionsBuilder().withResourceVersion("0").build())
                    .getItems();
        } catch (KubernetesClientException e) {
            throw new ClusterException(
                    "cannot list ControllerRevisions in " + namespace + ": " + e.getMessage(), e.getCode(), e);
        }
        return items.stream()
                .filter(cr -> ownedBy(cr, ownerKind, ownerName))
                .map(this::info)
                .sorted(Comparator.comparingLong(ControllerRevisionInfo::revision))
                .toList();
    }

    @Override
    public void annotate(String namespace, String name, Map<String, String> annotations) {
        Map<String, Object> patch = Map.of("metadata", Map.of("annotations", annotations));
        try {
            client.apps()
                    .controllerRevisions()
                    .inNamespace(namespace)
                    .withName(name)
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            client.getKubernetesSerialization().asJson(patch));
        } catch (KubernetesClientException e) {
            throw new ClusterException(
                    "cannot annotate ControllerRevision " + namespace + "/" + name + ": " + e.getMessage(),
                    e.getCode(),
                    e);
        }
    }

    @Override
    public List<String> deleteUnreadyPodsNotAt(String namespace, Map<String, String> selector, String revision) {
        try {
            var pods = client.pods()
                    .inNamespace(namespace)
                    .withLabels(selector)
                    .list()
                    .getItems();
            List<String> deleted = new java.util.ArrayList<>();
            for (Pod pod : pods) {
                var labels = pod.getMetadata().getLabels();
                String at = labels == null ? "" : labels.getOrDefault(REVISION_LABEL, "");
                if (!at.equals(revision) && !ready(pod) && pod.getMetadata().getDeletionTimestamp() == null) {
                    client.pods()
                            .inNamespace(namespace)
                            .withName(pod.getMetadata().getName())
                            .delete();
                    deleted.add(pod.getMetadata().getName());
                }
            }
            return deleted;
        } catch (KubernetesClientException e) {
            throw new ClusterException(
                    "cannot replace broken pods in " + namespace + ": " + e.getMessage(), e.getCode(), e);
        }
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static boolean ownedBy(ControllerRevision cr, String kind, String name) {
        List<OwnerReference> owners = cr.getMetadata().getOwnerReferences();
        return owners != null
                && owners.stream()
                        .anyMatch(o -> kind.equals(o.getKind())
                                && name.equals(o.getName())
                                && Boolean.TRUE.equals(o.getController()));
    }

    @SuppressWarnings("unchecked")
    private ControllerRevisionInfo info(ControllerRevision cr) {
        Map<String, Object> data = cr.getData() == null
                ? Map.of()
                : client.getKubernetesSerialization().convertValue(cr.getData(), Map.class);
        Map<String, Object> template = new LinkedHashMap<>(Tree.deepCopy(Tree.map(data, "spec", "template")));
        template.remove("$patch"); // the controller stores the template as a strategic-merge patch that replaces it
        String created = cr.getMetadata().getCreationTimestamp();
        return new ControllerRevisionInfo(
                cr.getMetadata().getName(),
                cr.getMetadata().getUid(),
                cr.getRevision() == null ? 0 : cr.getRevision(),
                cr.getMetadata().getAnnotations() == null
                        ? Map.of()
                        : Map.copyOf(cr.getMetadata().getAnnotations()),
                template,
                created == null ? Instant.EPOCH : Instant.parse(created));
    }
}
