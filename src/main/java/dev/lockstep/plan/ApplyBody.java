package dev.lockstep.plan;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.util.Tree;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a manifest from git into the body Lockstep sends: ownership labels added, fields a user may have
 * copied from {@code kubectl get -o yaml} removed, and what older API servers need for server-side apply filled in.
 */
public final class ApplyBody {
    private static final Set<String> SERVER_OWNED_METADATA = Set.of(
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "managedFields",
            "selfLink",
            "deletionTimestamp");
    private static final Set<String> POD_BEARING_KINDS = Set.of(
            "Pod",
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "ReplicaSet",
            "Job",
            "CronJob",
            "ReplicationController",
            "PodTemplate");

    private ApplyBody() {}

    /**
     * @param dropReplicas true when an HPA in the same revision scales this workload: its replicas are not ours to set
     */
    public static Map<String, Object> of(Manifest manifest, String app, boolean dropReplicas) {
        Map<String, Object> body = Tree.deepCopy(manifest.body());
        body.remove("status");
        Map<String, Object> metadata = Tree.ensureMap(body, "metadata");
        SERVER_OWNED_METADATA.forEach(metadata::remove);
        Map<String, Object> labels = Tree.ensureMap(body, "metadata", "labels");
        labels.put(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE);
        labels.put(MetadataKeys.APP, app);
        String kind = manifest.key().kind();
        if (kind.equals("Service") || POD_BEARING_KINDS.contains(kind)) {
            fillPortProtocols(body, kind.equals("Service"));
        }
        if (dropReplicas) {
            Tree.ensureMap(body, "spec").remove("replicas");
        }
        return body;
    }

    /**
     * Kubernetes before 1.22 rejects a server-side apply of a port without {@code protocol} ("associative list
     * with keys has an element that omits key field"). TCP is the server's own default, so filling it changes nothing.
     */
    @SuppressWarnings("unchecked")
    private static void fillPortProtocols(Object node, boolean service) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if ("ports".equals(e.getKey()) && e.getValue() instanceof List<?> ports) {
                    for (Object port : ports) {
                        if (port instanceof Map<?, ?> p
                                && (p.containsKey("containerPort") || (service && p.containsKey("port")))) {
                            ((Map<String, Object>) p).putIfAbsent("protocol", "TCP");
                        }
                    }
                } else {
                    fillPortProtocols(e.getValue(), service);
                }
            }
        } else if (node instanceof List<?> list) {
            list.forEach(item -> fillPortProtocols(item, service));
        }
    }
}
