package dev.lockstep.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** Text a person can read when a test fails: what the cluster shows for a Deployment or a whole namespace. */
public final class DeploymentReport {

    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    private static final int MAX_EVENTS = 25;

    private DeploymentReport() {}

    /** The Deployment's status, conditions and its ReplicaSets (like kubectl describe, shorter). */
    public static String describe(KubernetesClient client, String namespace, String name) {
        Deployment d = client.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(name)
                .get();
        if (d == null) {
            return "deployment " + namespace + "/" + name + " does not exist";
        }
        return describe(d, ownedReplicaSets(client, d));
    }

    public static String describe(Deployment d, List<ReplicaSet> replicaSets) {
        DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        StringBuilder out = new StringBuilder();
        out.append("deployment ")
                .append(d.getMetadata().getNamespace())
                .append('/')
                .append(d.getMetadata().getName())
                .append(": generation=")
                .append(d.getMetadata().getGeneration())
                .append(" observedGeneration=")
                .append(s.getObservedGeneration())
                .append(" revision=")
                .append(annotation(d, REVISION))
                .append(" image=")
                .append(images(d.getSpec().getTemplate().getSpec().getContainers()))
                .append('\n')
                .append("  replicas: desired=")
                .append(d.getSpec().getReplicas())
                .append(" current=")
                .append(s.getReplicas())
                .append(" updated=")
                .append(s.getUpdatedReplicas())
                .append(" ready=")
                .append(s.getReadyReplicas())
                .append(" available=")
                .append(s.getAvailableReplicas())
                .append(" unavailable=")
                .append(s.getUnavailableReplicas())
                .append('\n');
        for (DeploymentCondition c : Objects.requireNonNullElse(s.getConditions(), List.<DeploymentCondition>of())) {
            out.append("  condition ")
                    .append(c.getType())
                    .append('=')
                    .append(c.getStatus())
                    .append(" reason=")
                    .append(c.getReason())
                    .append(": ")
                    .append(c.getMessage())
                    .append('\n');
        }
        replicaSets.stream()
                .sorted(Comparator.comparing(DeploymentReport::revisionNumber))
                .forEach(rs -> out.append("  replicaset ")
                        .append(rs.getMetadata().getName())
                        .append(" revision=")
                        .append(annotation(rs, REVISION))
                        .append(" revision-history=")
                        .append(annotation(rs, REVISION_HISTORY))
                        .append(" replicas=")
                        .append(rs.getSpec().getReplicas())
                        .append(" ready=")
                        .append(rs.getStatus() == null ? null : rs.getStatus().getReadyReplicas())
                        .append(" image=")
                        .append(images(rs.getSpec().getTemplate().getSpec().getContainers()))
                        .append('\n'));
        return out.toString();
    }

    /** Every Deployment (with ReplicaSets), every pod and the latest events of a namespace. */
    public static String describeNamespace(KubernetesClient client, String namespace) {
        StringBuilder out = new StringBuilder();
        for (Deployment d :
                client.apps().deployments().inNamespace(namespace).list().getItems()) {
            out.append(describe(d, ownedReplicaSets(client, d)));
        }
        for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
            out.append(describePod(p)).append('\n');
        }
        List<Event> events = client.v1().events().inNamespace(namespace).list().getItems().stream()
                .sorted(Comparator.comparing(e -> Objects.toString(e.getLastTimestamp(), "")))
                .toList();
        events.stream()
                .skip(Math.max(0, events.size() - MAX_EVENTS))
                .forEach(e -> out.append("  event ")
                        .append(e.getInvolvedObject().getKind())
                        .append('/')
                        .append(e.getInvolvedObject().getName())
                        .append(' ')
                        .append(e.getReason())
                        .append(": ")
                        .append(e.getMessage())
                        .append('\n'));
        return out.toString();
    }

    public static String describePod(Pod p) {
        List<ContainerStatus> statuses = p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                ? List.of()
                : p.getStatus().getContainerStatuses();
        return "  pod " + p.getMetadata().getName() + " node=" + p.getSpec().getNodeName()
                + " phase=" + (p.getStatus() == null ? null : p.getStatus().getPhase())
                + " ready=" + statuses.stream().map(ContainerStatus::getReady).toList()
                + " deleting=" + (p.getMetadata().getDeletionTimestamp() != null)
                + " image=" + images(p.getSpec().getContainers());
    }

    /** ReplicaSets whose controller owner is this Deployment. */
    public static List<ReplicaSet> ownedReplicaSets(KubernetesClient client, Deployment d) {
        return client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).list().getItems().stream()
                .filter(rs -> ownedBy(rs, d))
                .toList();
    }

    static String annotation(HasMetadata o, String key) {
        Map<String, String> annotations = o.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static boolean ownedBy(HasMetadata o, HasMetadata owner) {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        return refs != null
                && refs.stream().anyMatch(r -> owner.getMetadata().getUid().equals(r.getUid()));
    }

    private static int revisionNumber(ReplicaSet rs) {
        try {
            return Integer.parseInt(Objects.requireNonNullElse(annotation(rs, REVISION), "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String images(List<Container> containers) {
        return containers.stream().map(Container::getImage).collect(Collectors.joining(","));
    }
}
