package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubeconfig parsed without fabric8's class-path scan gives the config fabric8 itself gives, and every case it
 * cannot give the same for is left to fabric8 (empty).
 */
class QuickKubeconfigTest {
    @TempDir
    Path tmp;

    private static final String TOKEN_INSECURE = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: local
              cluster:
                server: https://127.0.0.1:6443
                insecure-skip-tls-verify: true
            - name: other
              cluster: {server: https://10.0.0.1:6443}
            users:
            - name: admin
              user:
                token: abc123
            - name: other
              user: {token: other}
            contexts:
            - name: local
              context: {cluster: local, user: admin, namespace: shop}
            - name: other
              context: {cluster: other, user: other}
            current-context: local
            """;

    private static final String CERTIFICATES = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: prod
              cluster:
                server: https://prod.example.com:443
                certificate-authority-data: Q0EgZGF0YQ==
                tls-server-name: api.prod
            users:
            - name: me
              user:
                client-certificate-data: Q0VSVA==
                client-key-data: S0VZ
                as: someone
            contexts:
            - name: prod
              context: {cluster: prod, user: me}
            current-context: prod
            """;

    /** What of a config decides where and how a request goes. */
    private record Seen(
            String server,
            String namespace,
            String context,
            String token,
            boolean trustCerts,
            String caData,
            String caFile,
            String certData,
            String keyData,
            String impersonate,
            int requestTimeout,
            int connectionTimeout,
            int retries,
            String userAgent,
            String httpsProxy,
            Boolean autoConfigured) {
        static Seen of(Config c) {
            return new Seen(
                    c.getMasterUrl(),
                    c.getNamespace(),
                    c.getCurrentContext() == null ? null : c.getCurrentContext().getName(),
                    c.getAutoOAuthToken(),
                    c.isTrustCerts(),
                    c.getCaCertData(),
                    c.getCaCertFile(),
                    c.getClientCertData(),
                    c.getClientKeyData(),
                    c.getImpersonateUsername(),
                    c.getRequestTimeout(),
                    c.getConnectionTimeout(),
                    c.getRequestRetryBackoffLimit(),
                    c.getUserAgent(),
                    c.getHttpsProxy(),
                    c.getAutoConfigure());
        }
    }

    @Test
    void givenFileIsReadAsFabric8ReadsIt() {
        for (String kubeconfig : List.of(TOKEN_INSECURE, CERTIFICATES)) {
            assertThat(Seen.of(QuickKubeconfig.fromContents(kubeconfig)))
                    .isEqualTo(Seen.of(Config.fromKubeconfig(kubeconfig)));
        }
        assertThat(Seen.of(QuickKubeconfig.fromContents(TOKEN_INSECURE)).token())
                .isEqualTo("abc123");
    }

    @Test
    void autoconfigurationOfOnePlainFileIsFabric8s() throws Exception {
        for (String kubeconfig : List.of(TOKEN_INSECURE, CERTIFICATES)) {
            Optional<Config> quick = withKubeconfig(kubeconfig, () -> QuickKubeconfig.auto(Map.of(), Map.of()));
            Config fabric8 = withKubeconfig(kubeconfig, () -> new ConfigBuilder().build());

            assertThat(quick).isPresent();
            assertThat(Seen.of(quick.get())).isEqualTo(Seen.of(fabric8));
        }
    }

    @Test
    void whatOnlyFabric8sAutoconfigurationHonoursIsLeftToIt() throws Exception {
        String exec = TOKEN_INSECURE.replace(
                "token: abc123", "exec: {apiVersion: client.authentication.k8s.io/v1, command: get-token}");
        String authProvider =
                TOKEN_INSECURE.replace("token: abc123", "auth-provider: {name: oidc, config: {id-token: x}}");
        String relativeCa =
                CERTIFICATES.replace("certificate-authority-data: Q0EgZGF0YQ==", "certificate-authority: ca.crt");

        for (String kubeconfig : List.of(exec, authProvider, relativeCa)) {
            assertThat(withKubeconfig(kubeconfig, () -> QuickKubeconfig.auto(Map.of(), Map.of())))
                    .as(kubeconfig)
                    .isEmpty();
        }
        assertThat(withKubeconfig(
                        TOKEN_INSECURE, () -> QuickKubeconfig.auto(Map.of("KUBERNETES_NAMESPACE", "other"), Map.of())))
                .as("fabric8 reads KUBERNETES_* variables")
                .isEmpty();
        assertThat(withKubeconfig(
                        TOKEN_INSECURE, () -> QuickKubeconfig.auto(Map.of(), Map.of("kubernetes.auth.token", "t"))))
                .as("and kubernetes.* system properties")
                .isEmpty();
        Path second = tmp.resolve("second");
        Files.writeString(second, CERTIFICATES);
        assertThat(withKubeconfig(TOKEN_INSECURE + "\u0000" + second, () -> QuickKubeconfig.auto(Map.of(), Map.of())))
                .as("several files are merged by fabric8")
                .isEmpty();
    }

    /**
     * Runs {@code read} with fabric8's {@code kubeconfig} system property naming a file of {@code contents} (after a
     * NUL: more files, joined as KUBECONFIG joins them).
     */
    private <T> T withKubeconfig(String contents, java.util.function.Supplier<T> read) throws Exception {
        String[] parts = contents.split("\u0000");
        Path file = Files.createTempFile(tmp, "kubeconfig", "");
        Files.writeString(file, parts[0]);
        String value = parts.length == 1 ? file.toString() : file + java.io.File.pathSeparator + parts[1];
        String before = System.getProperty("kubeconfig");
        System.setProperty("kubeconfig", value);
        try {
            return read.get();
        } finally {
            if (before == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", before);
            }
        }
    }
}
