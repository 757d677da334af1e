package dev.lockstep.manifest;

import java.util.Objects;
import java.util.Set;

/**
 * Where an app may put objects.
 *
 * @param targetNamespace     given to namespaced objects that don't name one; always allowed
 * @param allowedNamespaces   other namespaces objects may name explicitly
 * @param allowedClusterKinds cluster-scoped kinds the app may manage, as {@code Kind} (any group) or
 *                            {@code Kind.group} (e.g. {@code CustomResourceDefinition.apiextensions.k8s.io})
 */
public record NamespacePolicy(String targetNamespace, Set<String> allowedNamespaces, Set<String> allowedClusterKinds) {

    public NamespacePolicy {
        Objects.requireNonNull(targetNamespace, "targetNamespace");
        if (targetNamespace.isBlank()) {
            throw new IllegalArgumentException("targetNamespace must not be blank");
        }
        allowedNamespaces = allowedNamespaces == null ? Set.of() : Set.copyOf(allowedNamespaces);
        allowedClusterKinds = allowedClusterKinds == null ? Set.of() : Set.copyOf(allowedClusterKinds);
    }

    /** Only the target namespace, no cluster-scoped kinds. */
    public static NamespacePolicy only(String targetNamespace) {
        return new NamespacePolicy(targetNamespace, Set.of(), Set.of());
    }

    public boolean allowsNamespace(String namespace) {
        return targetNamespace.equals(namespace) || allowedNamespaces.contains(namespace);
    }

    public boolean allowsClusterKind(String group, String kind) {
        return allowedClusterKinds.contains(kind)
                || allowedClusterKinds.contains(group.isEmpty() ? kind : kind + "." + group);
    }
}
