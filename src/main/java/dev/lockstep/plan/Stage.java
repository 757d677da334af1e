package dev.lockstep.plan;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.ResourceKey;
import java.util.Map;
import java.util.Set;

/** Apply order: what others depend on goes first. Prunes run after every stage, in reverse. */
public enum Stage {
    NAMESPACES_AND_CRDS,
    /** A chart's {@code pre-install}/{@code pre-upgrade} hooks (docs/helm.md), before the chart's other objects. */
    HELM_HOOKS_BEFORE,
    CONFIG_AND_RBAC,
    SERVICES,
    WORKLOADS,
    OTHER,
    /** A chart's {@code post-install}/{@code post-upgrade} hooks, after everything else. */
    HELM_HOOKS_AFTER;

    private static final String HELM_HOOK = "helm.sh/hook";

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

    /**
     * A Helm hook's stage comes from its {@code helm.sh/hook} annotation (the render step keeps only pre/post install
     * and upgrade hooks); any other object's from its kind. Namespaces and CRDs go first even when hooks.
     */
    public static Stage of(Manifest manifest) {
        Stage byKind = of(manifest.key());
        if (byKind != NAMESPACES_AND_CRDS
                && manifest.body().get("metadata") instanceof Map<?, ?> metadata
                && metadata.get("annotations") instanceof Map<?, ?> annotations
                && annotations.get(HELM_HOOK) instanceof String events) {
            if (events.contains("pre-install") || events.contains("pre-upgrade")) {
                return HELM_HOOKS_BEFORE;
            }
            if (events.contains("post-install") || events.contains("post-upgrade")) {
                return HELM_HOOKS_AFTER;
            }
        }
        return byKind;
    }

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
