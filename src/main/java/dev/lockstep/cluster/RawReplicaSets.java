package dev.lockstep.cluster;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.util.Tree;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@link ReplicaSets} for a command that reads once: the same lists and the same {@link ReplicaSetInfo}s, read as raw
 * JSON through {@link RawKubeReads} instead of fabric8's typed model.
 */
public final class RawReplicaSets implements ReplicaSetLister {
    private static final Comparator<ReplicaSetInfo> OLDEST_FIRST =
            Comparator.comparing(ReplicaSetInfo::created).thenComparing(ReplicaSetInfo::name);

    private final RawKubeReads api;

    public RawReplicaSets(RawKubeReads api) {
        this.api = api;
    }

    /** resourceVersion=0: answered from the API server's watch cache, as {@link ReplicaSets} asks. */
    @Override
    public List<ReplicaSetInfo> ownedBy(String namespace, String deploymentName, Map<String, String> selector) {
        Map<String, String> query = new LinkedHashMap<>();
        if (!selector.isEmpty()) {
            query.put("labelSelector", labelSelector(selector));
        }
        query.put("resourceVersion", "0");
        return items(namespace, query).stream()
                .filter(rs -> owner(rs).filter(deploymentName::equals).isPresent())
                .map(RawReplicaSets::info)
                .sorted(OLDEST_FIRST)
                .toList();
    }

    /**
     * One selected list per owner, as {@link #ownedBy}: a command that reads once never has many rollouts ending
     * together, which is what {@link ReplicaSets#byOwner}'s shared lists are for.
     */
    @Override
    public Map<String, List<ReplicaSetInfo>> byOwner(String namespace, Map<String, Map<String, String>> selectors) {
        Map<String, List<ReplicaSetInfo>> out = new HashMap<>();
        selectors.forEach((owner, selector) -> {
            List<ReplicaSetInfo> owned = ownedBy(namespace, owner, selector);
            if (!owned.isEmpty()) {
                out.put(owner, owned);
            }
        });
        return out;
    }

    /** {@code k1=v1,k2=v2}: what fabric8's {@code withLabels} sends. */
    static String labelSelector(Map<String, String> selector) {
        return selector.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    private List<Map<String, Object>> items(String namespace, Map<String, String> query) {
        return Tree.maps(list(namespace, query), "items");
    }

    private Map<String, Object> list(String namespace, Map<String, String> query) {
        try {
            return api.list(RawKubeReads.collection("apps/v1", namespace, "replicasets"), query);
        } catch (KubernetesClientException e) {
            throw new ClusterException(
                    "cannot list ReplicaSets in " + namespace + ": " + e.getMessage(), e.getCode(), e);
        }
    }

    /** The name of the Deployment controlling this ReplicaSet. */
    static Optional<String> owner(Map<String, Object> object) {
        return controller(object, "Deployment");
    }

    /** The name of the owner of kind {@code kind} that is the object's controller. */
    static Optional<String> controller(Map<String, Object> object, String kind) {
        return Tree.maps(object, "metadata", "ownerReferences").stream()
                .filter(o -> kind.equals(o.get("kind")) && Boolean.TRUE.equals(o.get("controller")))
                .map(o -> String.valueOf(o.get("name")))
                .findFirst();
    }

    /** As {@link ReplicaSets}' own: the template without pod-template-hash, the revision from its annotation. */
    static ReplicaSetInfo info(Map<String, Object> rs) {
        Map<String, Object> template = withoutNulls(Tree.map(rs, "spec", "template"));
        // The controller adds pod-template-hash to the RS's template; the Deployment's template never has it.
        Map<String, Object> labels = Tree.ensureMap(template, "metadata", "labels");
        labels.remove(MetadataKeys.POD_TEMPLATE_HASH);
        if (labels.isEmpty()) {
            Tree.ensureMap(template, "metadata").remove("labels");
        }
        Map<String, String> annotations = annotations(rs);
        return new ReplicaSetInfo(
                Tree.string(rs, "metadata", "name").orElse(""),
                Tree.string(rs, "metadata", "uid").orElse(""),
                parseLong(annotations.get(MetadataKeys.DEPLOYMENT_REVISION)),
                annotations,
                template,
                created(rs),
                Tree.number(rs, "status", "replicas").orElse(0L).intValue());
    }

    /**
     * A deep, mutable copy without the fields whose value is null ({@code metadata.creationTimestamp: null} in every
     * pod template): the typed model drops them, so the templates compare and print as the full client's did.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withoutNulls(Map<String, Object> tree) {
        Map<String, Object> out = new LinkedHashMap<>();
        tree.forEach((k, v) -> {
            if (v != null) {
                out.put(k, withoutNulls(v));
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object withoutNulls(Object value) {
        if (value instanceof Map<?, ?> map) {
            return withoutNulls((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(withoutNulls(v)));
            return out;
        }
        return value;
    }

    static Map<String, String> annotations(Map<String, Object> object) {
        Map<String, String> out = new LinkedHashMap<>();
        Tree.map(object, "metadata", "annotations").forEach((k, v) -> out.put(k, String.valueOf(v)));
        return Map.copyOf(out);
    }

    static Instant created(Map<String, Object> object) {
        return Tree.string(object, "metadata", "creationTimestamp")
                .map(Instant::parse)
                .orElse(Instant.EPOCH);
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
