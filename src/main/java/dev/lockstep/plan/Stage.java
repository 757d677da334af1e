package dev.lockstep.plan;

import dev.lockstep.model.ResourceKey;
import java.util.Set;

/** Apply order: what others depend on goes first. Prunes run after every stage, in reverse. */
public enum Stage {
    NAMESPACES_AND_CRDS,
    CONFIG_AND_RBAC,
    SERVICES,
    WORKLOADS,
    OTHER;

    private static final Set<String> CONFIG = Set.of(
            "ServiceAccount",
            "ConfigMap",
            "Secret",
            "Role",
            "RoleBinding",
            "ClusterRole",
            "ClusterRoleBinding",
            "PersistentVolumeClaim",
            "PersistentVolume",
            "StorageClass",
            "LimitRange",
            "ResourceQuota",
            "PriorityClass",
            "NetworkPolicy");
    private static final Set<String> WORKLOADS_KINDS = Set.of(
            "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod", "ReplicationController");

    public static Stage of(ResourceKey key) {
        String kind = key.kind();
        if (kind.equals("Namespace") || kind.equals("CustomResourceDefinition")) {
            return NAMESPACES_AND_CRDS;
        }
        if (CONFIG.contains(kind)) {
            return CONFIG_AND_RBAC;
        }
        if (kind.equals("Service")) {
            return SERVICES;
        }
        if (WORKLOADS_KINDS.contains(kind)) {
            return WORKLOADS;
        }
        return OTHER;
    }
}
