package dev.lockstep.manifest;

import java.util.Set;

/** The cluster-scoped kinds of a standard Kubernetes API server, as {@code group/Kind}. */
final class BuiltInKindScopes implements KindScopes {

    static final BuiltInKindScopes INSTANCE = new BuiltInKindScopes();

    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "/Namespace",
            "/Node",
            "/PersistentVolume",
            "/ComponentStatus",
            "rbac.authorization.k8s.io/ClusterRole",
            "rbac.authorization.k8s.io/ClusterRoleBinding",
            "apiextensions.k8s.io/CustomResourceDefinition",
            "apiregistration.k8s.io/APIService",
            "storage.k8s.io/StorageClass",
            "storage.k8s.io/CSIDriver",
            "storage.k8s.io/CSINode",
            "storage.k8s.io/VolumeAttachment",
            "storage.k8s.io/VolumeAttributesClass",
            "scheduling.k8s.io/PriorityClass",
            "networking.k8s.io/IngressClass",
            "networking.k8s.io/IPAddress",
            "networking.k8s.io/ServiceCIDR",
            "node.k8s.io/RuntimeClass",
            "admissionregistration.k8s.io/MutatingWebhookConfiguration",
            "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
            "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
            "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
            "admissionregistration.k8s.io/MutatingAdmissionPolicy",
            "admissionregistration.k8s.io/MutatingAdmissionPolicyBinding",
            "certificates.k8s.io/CertificateSigningRequest",
            "certificates.k8s.io/ClusterTrustBundle",
            "flowcontrol.apiserver.k8s.io/FlowSchema",
            "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
            "resource.k8s.io/DeviceClass",
            "resource.k8s.io/ResourceSlice");

    private BuiltInKindScopes() {}

    @Override
    public boolean clusterScoped(String group, String kind) {
        return CLUSTER_SCOPED.contains(group + "/" + kind);
    }
}
