package dev.lockstep.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The daemon's real account in an integration test, instead of cluster admin: the ServiceAccount {@code lockstep} in
 * the test's namespace, bound only by a shipped RBAC file from {@code config/deploy/} (its namespaces mapped to the
 * test's, its cluster-scoped names suffixed so parallel tests do not share them), and a token for it from the API
 * server's TokenRequest API, so every request the daemon makes is checked by RBAC exactly as in a cluster.
 */
public final class DaemonAccount implements AutoCloseable {
    public static final String NAME = "lockstep";
    /** Cluster-scoped objects have no namespace to die with: these are deleted on close. */
    private final List<HasMetadata> clusterScoped;

    private final KubernetesClient admin;
    private final Config config;
    private final String namespace;

    private DaemonAccount(KubernetesClient admin, Config config, String namespace, List<HasMetadata> clusterScoped) {
        this.admin = admin;
        this.config = config;
        this.namespace = namespace;
        this.clusterScoped = clusterScoped;
    }

    /**
     * @param rbacFile e.g. {@code config/deploy/rbac.yaml}
     * @param namespaces the file's namespaces → the test's ({@code lockstep-system} must be among them: the account
     *     lives there)
     */
    public static DaemonAccount bind(TestCluster cluster, Path rbacFile, Map<String, String> namespaces)
            throws IOException {
        KubernetesClient admin = cluster.client();
        String home = namespaces.get("lockstep-system");
        String suffix = "-" + cluster.namespace();
        admin.serviceAccounts()
                .inNamespace(home)
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName(NAME)
                        .withNamespace(home)
                        .endMetadata()
                        .build())
                .createOr(existing -> existing.update());
        List<HasMetadata> objects;
        try (InputStream in = Files.newInputStream(rbacFile)) {
            objects = admin.load(in).items();
        }
        Set<String> renamed = new java.util.HashSet<>();
        for (HasMetadata o : objects) {
            if (o instanceof ClusterRole || o instanceof ClusterRoleBinding) {
                renamed.add(o.getKind() + "/" + o.getMetadata().getName());
                o.getMetadata().setName(o.getMetadata().getName() + suffix);
            }
        }
        List<HasMetadata> clusterScoped = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o.getMetadata().getNamespace() != null) {
                o.getMetadata().setNamespace(mapped(namespaces, o.getMetadata().getNamespace()));
            }
            if (o instanceof ClusterRoleBinding b) {
                rename(b.getRoleRef(), renamed, suffix);
                b.getSubjects().forEach(s -> map(s, namespaces));
            } else if (o instanceof RoleBinding b) {
                rename(b.getRoleRef(), renamed, suffix);
                b.getSubjects().forEach(s -> map(s, namespaces));
            }
            admin.resource(o).createOr(existing -> existing.update());
            if (o.getMetadata().getNamespace() == null) {
                clusterScoped.add(o);
            }
        }
        String token = admin.serviceAccounts()
                .inNamespace(home)
                .withName(NAME)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
        Config config = new ConfigBuilder(cluster.config())
                .withOauthToken(token)
                .withUsername(null)
                .withPassword(null)
                .withClientCertData(null)
                .withClientKeyData(null)
                .withClientCertFile(null)
                .withClientKeyFile(null)
                .withImpersonateUsername(null)
                .build();
        return new DaemonAccount(admin, config, home, clusterScoped);
    }

    private static String mapped(Map<String, String> namespaces, String ns) {
        return namespaces.getOrDefault(ns, ns);
    }

    private static void map(Subject s, Map<String, String> namespaces) {
        if (s.getNamespace() != null) {
            s.setNamespace(mapped(namespaces, s.getNamespace()));
        }
    }

    private static void rename(RoleRef ref, Set<String> renamed, String suffix) {
        if (renamed.contains(ref.getKind() + "/" + ref.getName())) {
            ref.setName(ref.getName() + suffix);
        }
    }

    /** The user name the API server knows this account by (what a refusal names). */
    public String username() {
        return "system:serviceaccount:" + namespace + ":" + NAME;
    }

    /** A client config with only this account's token. */
    public Config config() {
        return new ConfigBuilder(config).build();
    }

    public KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(config()).build();
    }

    /** A kubeconfig file with only this account's token, for the CLI. */
    public Path writeKubeconfig(Path file) throws IOException {
        String tls;
        if (config.isTrustCerts()) {
            tls = "insecure-skip-tls-verify: true";
        } else if (config.getCaCertData() != null) {
            tls = "certificate-authority-data: " + config.getCaCertData();
        } else if (config.getCaCertFile() != null) {
            tls = "certificate-authority: " + config.getCaCertFile();
        } else {
            tls = "insecure-skip-tls-verify: false";
        }
        return Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: test
                    cluster: {server: "%s", %s}
                users:
                  - name: lockstep
                    user: {token: "%s"}
                contexts:
                  - name: lockstep
                    context: {cluster: test, user: lockstep, namespace: %s}
                current-context: lockstep
                """.formatted(config.getMasterUrl(), tls, config.getOauthToken(), namespace));
    }

    @Override
    public void close() {
        for (HasMetadata o : clusterScoped) {
            try {
                admin.resource(o).delete();
            } catch (RuntimeException e) {
                // best effort: a leftover role binds an account whose namespace is gone
            }
        }
    }
}
