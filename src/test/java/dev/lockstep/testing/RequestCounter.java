package dev.lockstep.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Records every request a client sends to the API server, so tests can assert that a pass made none. */
public final class RequestCounter implements Interceptor {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private final List<String> requests = new CopyOnWriteArrayList<>();

    /** A client on {@code config} whose every request (watch streams included) is counted here. */
    public KubernetesClient client(Config config) {
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("request-counter", this))
                .build();
    }

    /**
     * Makes clients as the watch cache does ({@link dev.lockstep.cluster.LiveCache#watchClient}: HTTP/1.1, a
     * connection per request, no request retries, objects read as plain maps), whose every request
     * (lists, watches, probes) is counted here too.
     */
    public Supplier<KubernetesClient> connections(Config config) {
        return () -> dev.lockstep.cluster.LiveCache.watchClient(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("request-counter", this))
                .build();
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        requests.add(request.method() + " " + request.uri().getPath()
                + (request.uri().getQuery() == null ? "" : "?" + request.uri().getQuery()));
    }

    public void reset() {
        requests.clear();
    }

    public List<String> all() {
        return List.copyOf(requests);
    }

    public List<String> writes() {
        return requests.stream()
                .filter(r -> WRITES.contains(r.substring(0, r.indexOf(' '))))
                .toList();
    }
}
