package dev.lockstep.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.internal.OperationSupport;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * GETs against the API server, answered as plain maps, for a command that reads a few objects once ({@code status},
 * {@code history}). The requests go through fabric8's own HTTP client made from the kubeconfig's {@link Config}, so
 * everything the full client honours applies here alike: contexts, TLS (CA, client certificates, insecure), tokens,
 * exec and auth-provider plugins (fabric8's token refresh interceptor), impersonation, proxies, retries. What it
 * leaves out is the rest of the full client's wiring and its typed model: about 1,000 model classes and Jackson's
 * bean deserializers, which a cold JVM pays for on every such command.
 */
public final class RawKubeReads implements AutoCloseable {
    private final Config config;
    private final HttpClient http;
    private final String base;

    public RawKubeReads(Config config) {
        this.config = config;
        this.http = HttpClientUtils.createHttpClient(config);
        this.base = config.getMasterUrl().replaceAll("/+$", "");
    }

    public Config config() {
        return config;
    }

    /**
     * The object at {@code path} ({@code /api/v1/namespaces/ns/configmaps/name}), empty when the server says 404.
     *
     * @throws KubernetesClientException with the server's words, as the full client would throw it
     */
    public Optional<Map<String, Object>> get(String path) {
        return send(path, true);
    }

    /** A list at {@code path} with these query parameters (values encoded here), the whole answer. */
    public Map<String, Object> list(String path, Map<String, String> query) {
        String q = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(q.isEmpty() ? path : path + "?" + q, false).orElseThrow();
    }

    /** {@code /api/v1} or {@code /apis/GROUP/VERSION}, then the namespace when there is one, then {@code plural}. */
    public static String collection(String apiVersion, String namespace, String plural) {
        String root = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
        return root + (namespace.isEmpty() ? "" : "/namespaces/" + segment(namespace)) + "/" + plural;
    }

    public static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private Optional<Map<String, Object>> send(String pathAndQuery, boolean absentIsEmpty) {
        HttpRequest.Builder builder = http.newHttpRequestBuilder().uri(base + pathAndQuery);
        if (config.getRequestTimeout() > 0) {
            builder.timeout(config.getRequestTimeout(), TimeUnit.MILLISECONDS);
        }
        HttpRequest request = builder.build();
        HttpResponse<byte[]> response;
        try {
            response = http.sendAsync(request, byte[].class).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KubernetesClientException.launderThrowable(e);
        } catch (ExecutionException e) {
            throw KubernetesClientException.launderThrowable(e.getCause());
        }
        if (response.code() == 404 && absentIsEmpty) {
            return Optional.empty();
        }
        if (!response.isSuccessful()) {
            // the same exception and message the full client gives; its serialization only on this rare path
            throw OperationSupport.requestFailure(
                    request, OperationSupport.createStatus(response, new KubernetesSerialization()));
        }
        return Optional.of(JsonTrees.object(response.body()));
    }

    @Override
    public void close() {
        http.close();
    }
}
