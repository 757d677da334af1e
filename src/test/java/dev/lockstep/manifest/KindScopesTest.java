package dev.lockstep.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KindScopesTest {

    private final KindScopes scopes = KindScopes.builtIn();

    @Test
    void knowsWellKnownClusterScopedKindsByGroup() {
        assertThat(scopes.clusterScoped("", "Namespace")).isTrue();
        assertThat(scopes.clusterScoped("rbac.authorization.k8s.io", "ClusterRoleBinding"))
                .isTrue();
        assertThat(scopes.clusterScoped("apiextensions.k8s.io", "CustomResourceDefinition"))
                .isTrue();
        assertThat(scopes.clusterScoped("storage.k8s.io", "StorageClass")).isTrue();
        assertThat(scopes.clusterScoped("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"))
                .isTrue();
    }

    @Test
    void everythingElseIsNamespaced() {
        assertThat(scopes.clusterScoped("apps", "Deployment")).isFalse();
        assertThat(scopes.clusterScoped("rbac.authorization.k8s.io", "Role")).isFalse();
        // same kind name in another group is a different kind
        assertThat(scopes.clusterScoped("example.com", "Namespace")).isFalse();
        assertThat(scopes.clusterScoped("", "ClusterRole")).isFalse();
    }
}
