package dev.lockstep.cluster;

import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.util.Tree;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reading half of {@link KubeControllerRevisions} as raw JSON through {@link RawKubeReads}, for a command that
 * reads once. It never writes: {@link #annotate} and {@link #deleteUnreadyPodsNotAt} are the daemon's and
 * {@code rollback}'s, which keep the full client.
 */
public final class RawControllerRevisions implements ControllerRevisions {
    private final RawKubeReads api;

    public RawControllerRevisions(RawKubeReads api) {
        this.api = api;
    }

    /** resourceVersion=0: answered from the API server's watch cache, as {@link KubeControllerRevisions} asks. */
    @Override
    public List<ControllerRevisionInfo> ownedBy(
            String namespace, String ownerKind, String ownerName, Map<String, String> selector) {
        Map<String, String> query = new LinkedHashMap<>();
        if (!selector.isEmpty()) {
            query.put("labelSelector", RawReplicaSets.labelSelector(selector));
        }
        query.put("resourceVersion", "0");
        Map<String, Object> list;
        try {
            list = api.list(RawKubeReads.collection("apps/v1", namespace, "controllerrevisions"), query);
        } catch (KubernetesClientException e) {
            throw new ClusterException(
                    "cannot list ControllerRevisions in " + namespace + ": " + e.getMessage(), e.getCode(), e);
        }
        return Tree.maps(list, "items").stream()
                .filter(cr -> RawReplicaSets.controller(cr, ownerKind)
                        .filter(ownerName::equals)
                        .isPresent())
                .map(RawControllerRevisions::info)
                .sorted(Comparator.comparingLong(ControllerRevisionInfo::revision))
                .toList();
    }

    @Override
    public void annotate(String namespace, String name, Map<String, String> annotations) {
        throw new UnsupportedOperationException("read-only: annotating a ControllerRevision needs the full client");
    }

    @Override
    public List<String> deleteUnreadyPodsNotAt(String namespace, Map<String, String> selector, String revision) {
        throw new UnsupportedOperationException("read-only: deleting pods needs the full client");
    }

    private static ControllerRevisionInfo info(Map<String, Object> cr) {
        Map<String, Object> template = RawReplicaSets.withoutNulls(Tree.map(Tree.map(cr, "data"), "spec", "template"));
        template.remove("$patch"); // the controller stores the template as a strategic-merge patch that replaces it
        return new ControllerRevisionInfo(
                Tree.string(cr, "metadata", "name").orElse(""),
                Tree.string(cr, "metadata", "uid").orElse(""),
                Tree.number(cr, "revision").orElse(0L),
                RawReplicaSets.annotations(cr),
                template,
                RawReplicaSets.created(cr));
    }
}
