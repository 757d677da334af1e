package dev.lockstep.cluster;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.util.Tree;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a Deployment's ReplicaSets. Only called when a pod template changes, a rollout ends or history is shown, never
 * on a pass with nothing to do.
 */
public final class ReplicaSets implements ReplicaSetLister {
    private static final Comparator<ReplicaSetInfo> OLDEST_FIRST =
            Comparator.comparing(ReplicaSetInfo::created).thenComparing(ReplicaSetInfo::name);

    private static final long PAGE = 500;

    /** Deployments per selector list: keeps the URL (up to 63 characters per label value) well under 8 KB. */
    private static final int OWNERS_PER_LIST = 100;

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
     * One list per {@value #OWNERS_PER_LIST} Deployments with the same selector keys, selected by the server from its
     * watch cache: {@code app in (web,api,...)} returns the ReplicaSets of those Deployments and of no others. Listing
     * the whole namespace instead cost every app of a namespace shared by 100 apps 20 pages of 500 ReplicaSets each time
     * its rollouts ended (ManyAppsBenchmark: 920 reads in a round). Every ReplicaSet a Deployment owns carries its
     * {@code matchLabels}, so a set-based selector on each key finds them all (and maybe others'; the owner decides).
     * A Deployment without {@code matchLabels}, or with an empty value, falls back to the paged namespace list.
     */
    @Override
    public Map<String, List<ReplicaSetInfo>> byOwner(String namespace, Map<String, Map<String, String>> selectors) {
        Map<String, List<ReplicaSetInfo>> out = new HashMap<>();
        Map<Set<String>, List<String>> byKeys = new LinkedHashMap<>();
        Set<String> unselectable = new HashSet<>();
        selectors.forEach((owner, selector) -> {
            if (selector.isEmpty() || selector.containsValue("")) {
                unselectable.add(owner);
            } else {
                byKeys.computeIfAbsent(new TreeSet<>(selector.keySet()), k -> new ArrayList<>())
                        .add(owner);
            }
        });
        byKeys.forEach((keys, owners) -> {
            for (int from = 0; from < owners.size(); from += OWNERS_PER_LIST) {
                List<String> some = owners.subList(from, Math.min(owners.size(), from + OWNERS_PER_LIST));
                collect(selected(namespace, keys, some, selectors), Set.copyOf(some), out);
            }
        });
        if (!unselectable.isEmpty()) {
            paged(namespace, unselectable, out);
        }
        out.values().forEach(list -> list.sort(OLDEST_FIRST));
        return out;
    }

    /** The ReplicaSets with, on each of {@code keys}, one of the values the selectors of {@code owners} have. */
    private List<ReplicaSet> selected(
            String namespace, Set<String> keys, List<String> owners, Map<String, Map<String, String>> selectors) {
        try {
            FilterWatchListDeletable<ReplicaSet, ReplicaSetList, RollableScalableResource<ReplicaSet>> list =
                    client.apps().replicaSets().inNamespace(namespace);
            for (String key : keys) {
                String[] values = owners.stream()
                        .map(owner -> selectors.get(owner).get(key))
                        .distinct()
                        .sorted()
                        .toArray(String[]::new);
                list = list.withLabelIn(key, values);
            }
            return list.list(fromWatchCache()).getItems();
        } catch (KubernetesClientException e) {
            throw new ClusterException(
                    "cannot list ReplicaSets in " + namespace + ": " + e.getMessage(), e.getCode(), e);
        }
    }

    /**
     * The whole namespace, page by page, each page converted and dropped before the next: a namespace of 10,000
     * ReplicaSets (100 apps sharing it), listed whole and typed, ran a 256 MiB heap out of memory. Pages are consistent
     * reads, not the watch cache's (which would ignore the limit).
     */
    private void paged(String namespace, Set<String> owners, Map<String, List<ReplicaSetInfo>> out) {
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
                collect(page.getItems(), owners, out);
                next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
            } while (next != null && !next.isEmpty());
        } catch (KubernetesClientException e) {
            throw new ClusterException(
                    "cannot list ReplicaSets in " + namespace + ": " + e.getMessage(), e.getCode(), e);
        }
    }

    private void collect(List<ReplicaSet> items, Set<String> owners, Map<String, List<ReplicaSetInfo>> out) {
        for (ReplicaSet rs : items) {
            owner(rs)
                    .filter(owners::contains)
                    .ifPresent(owner ->
                            out.computeIfAbsent(owner, k -> new ArrayList<>()).add(info(rs)));
        }
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
