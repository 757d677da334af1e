package dev.lockstep.cluster;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
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
public final class ReplicaSets implements ReplicaSetLister {
    private static final Comparator<ReplicaSetInfo> OLDEST_FIRST =
            Comparator.comparing(ReplicaSetInfo::created).thenComparing(ReplicaSetInfo::name);

    private static final long PAGE = 500;

    private final KubernetesClient client;
    private final long pageSize;

    /**
     * resourceVersion=0 lets the API server answer from its watch cache instead of a quorum read of etcd. A new value
     * per list: fabric8 writes the request's label selector into the options it is given, so options kept in a field
     * carried the first Deployment's selector into every later list of a whole namespace (issue 15).
     */
    private static io.fabric8.kubernetes.api.model.ListOptions fromWatchCache() {
        return new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                .withResourceVersion("0")
                .build();
    }

    public ReplicaSets(KubernetesClient client) {
        this(client, PAGE);
    }

    /** @param pageSize ReplicaSets per page of a namespace list (small in tests, to cross pages) */
    ReplicaSets(KubernetesClient client, long pageSize) {
        this.client = client;
        this.pageSize = pageSize;
    }

    @Override
    public List<ReplicaSetInfo> ownedBy(String namespace, String deploymentName, Map<String, String> selector) {
        return list(namespace, selector).stream()
                .filter(rs -> owner(rs).filter(deploymentName::equals).isPresent())
                .map(this::info)
                .sorted(OLDEST_FIRST)
                .toList();
    }

    /**
     * Read page by page, each page converted and dropped before the next: a namespace of 10,000 ReplicaSets (100 apps
     * sharing it), listed whole and typed, ran a 256 MiB heap out of memory. Pages are consistent reads, not the watch
     * cache's (which would ignore the limit).
     */
    @Override
    public Map<String, List<ReplicaSetInfo>> byOwner(String namespace, java.util.Set<String> owners) {
        Map<String, List<ReplicaSetInfo>> out = new java.util.HashMap<>();
        String next = null;
        try {
            do {
                var page = client.apps()
                        .replicaSets()
                        .inNamespace(namespace)
                        .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                                .withLimit(pageSize)
                                .withContinue(next)
                                .build());
                for (ReplicaSet rs : page.getItems()) {
                    owner(rs)
                            .filter(owners::contains)
                            .ifPresent(owner -> out.computeIfAbsent(owner, k -> new java.util.ArrayList<>())
                                    .add(info(rs)));
                }
                next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
            } while (next != null && !next.isEmpty());
        } catch (KubernetesClientException e) {
            throw new ClusterException(
                    "cannot list ReplicaSets in " + namespace + ": " + e.getMessage(), e.getCode(), e);
        }
        out.values().forEach(list -> list.sort(OLDEST_FIRST));
        return out;
    }

    /** The namespace's ReplicaSets, only those with these labels when there are any. */
    private List<ReplicaSet> list(String namespace, Map<String, String> selector) {
        try {
            var inNamespace = client.apps().replicaSets().inNamespace(namespace);
            return (selector.isEmpty() ? inNamespace : inNamespace.withLabels(selector))
                    .list(fromWatchCache())
                    .getItems();
        } catch (KubernetesClientException e) {
            throw new ClusterException(
                    "cannot list ReplicaSets in " + namespace + ": " + e.getMessage(), e.getCode(), e);
        }
    }

    private static java.util.Optional<String> owner(ReplicaSet rs) {
        List<OwnerReference> owners = rs.getMetadata().getOwnerReferences();
        return owners == null
                ? java.util.Optional.empty()
                : owners.stream()
                        .filter(o -> "Deployment".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()))
                        .map(OwnerReference::getName)
                        .findFirst();
    }

    @SuppressWarnings("unchecked")
    private ReplicaSetInfo info(ReplicaSet rs) {
        Map<String, Object> body = client.getKubernetesSerialization().convertValue(rs, Map.class);
        Map<String, Object> template = Tree.deepCopy(Tree.map(body, "spec", "template"));
        // The controller adds pod-template-hash to the RS's template; the Deployment's template never has it.
        Map<String, Object> labels = Tree.ensureMap(template, "metadata", "labels");
        labels.remove(MetadataKeys.POD_TEMPLATE_HASH);
        if (labels.isEmpty()) {
            Tree.ensureMap(template, "metadata").remove("labels");
        }
        Map<String, String> annotations = rs.getMetadata().getAnnotations() == null
                ? Map.of()
                : Map.copyOf(rs.getMetadata().getAnnotations());
        String created = rs.getMetadata().getCreationTimestamp();
        return new ReplicaSetInfo(
                rs.getMetadata().getName(),
                rs.getMetadata().getUid(),
                parseLong(annotations.get(MetadataKeys.DEPLOYMENT_REVISION)),
                annotations,
                template,
                created == null ? Instant.EPOCH : Instant.parse(created),
                rs.getStatus() == null || rs.getStatus().getReplicas() == null
                        ? 0
                        : rs.getStatus().getReplicas());
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
