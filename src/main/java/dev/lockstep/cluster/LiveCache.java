package dev.lockstep.cluster;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.util.Causes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live state of every object Lockstep manages, kept by one informer per kind (label-selected on
 * {@code app.kubernetes.io/managed-by=lockstep}). Diffs and drift checks read from here, so a pass with
 * nothing to do costs no API request at all.
 */
public final class LiveCache implements LiveObjects {
    private static final Logger log = LoggerFactory.getLogger(LiveCache.class);

    private final KubernetesClient client;
    /**
     * The same connection without fabric8's request retries (about 19 s of backoff by default): a list after an outage
     * fails fast while the server is still away, and the pass retries on its own schedule.
     */
    private final KubernetesClient relistClient;

    private final Duration syncTimeout;
    private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers = new ConcurrentHashMap<>();
    private final Map<String, CompletionStage<Void>> starts = new ConcurrentHashMap<>();
    private final List<Consumer<ResourceKey>> listeners = new CopyOnWriteArrayList<>();
    /** Objects just written whose write the informer has not delivered yet: their cached copy is stale. */
    private final Map<ResourceKey, String> pendingVersions = new ConcurrentHashMap<>();

    public LiveCache(KubernetesClient client, Duration syncTimeout) {
        this.client = client;
        this.syncTimeout = syncTimeout;
        this.relistClient = client.newClient(
                        new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                                .withRequestRetryBackoffLimit(0)
                                .build())
                .adapt(KubernetesClient.class);
    }

    /** Starts watching a kind (idempotent) and waits until its first list has arrived. */
    @Override
    public void watch(String apiVersion, String kind) {
        String id = apiVersion + "/" + kind;
        var informer = informers.computeIfAbsent(id, ignored -> {
            log.debug("watching {} managed by lockstep", id);
            SharedIndexInformer<GenericKubernetesResource> created = newInformer(client, apiVersion, kind);
            starts.put(ignored, created.start());
            return created;
        });
        try {
            starts.get(id).toCompletableFuture().get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while starting the watch on " + id, 0, e);
        } catch (Exception e) {
            informers.remove(id, informer);
            starts.remove(id);
            informer.close();
            throw new ClusterException("cannot watch " + id + ": " + Causes.rootMessage(e), 0, e);
        }
    }

    private SharedIndexInformer<GenericKubernetesResource> newInformer(
            KubernetesClient on, String apiVersion, String kind) {
        SharedIndexInformer<GenericKubernetesResource> created = on.genericKubernetesResources(apiVersion, kind)
                .inAnyNamespace()
                .withLabel(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE)
                .runnableInformer(0);
        created.itemStore(new TrimmedStore(ServerSideApply.FIELD_MANAGER));
        created.addEventHandler(new Handler(apiVersion, kind));
        return created;
    }

    @Override
    public void ensureWatching() {
        for (var entry : List.copyOf(informers.entrySet())) {
            var informer = entry.getValue();
            CompletionStage<Void> start = starts.get(entry.getKey());
            boolean started = start != null && start.toCompletableFuture().isDone();
            if (started && !informer.isWatching()) {
                relist(entry.getKey(), informer);
            }
        }
    }

    /** Replaces a watch that is down with a fresh list and watch; the stale store serves until the new one is full. */
    private void relist(String id, SharedIndexInformer<GenericKubernetesResource> stale) {
        int slash = id.lastIndexOf('/');
        log.info("the watch on {} is down (API server unreachable?): listing again", id);
        SharedIndexInformer<GenericKubernetesResource> fresh =
                newInformer(relistClient, id.substring(0, slash), id.substring(slash + 1));
        CompletionStage<Void> start = fresh.start();
        try {
            start.toCompletableFuture().get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            fresh.close();
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while listing " + id + " again", 0, e);
        } catch (Exception e) {
            fresh.close();
            throw new ClusterException(
                    "the watch on " + id + " is down and listing it again failed: " + Causes.rootMessage(e), 0, e);
        }
        informers.put(id, fresh);
        starts.put(id, start);
        stale.close();
    }

    /** The cached live object, if it exists and carries Lockstep's managed-by label. */
    @Override
    public Optional<Map<String, Object>> get(String apiVersion, ResourceKey key) {
        return Optional.ofNullable(stored(apiVersion, key)).map(this::toMap);
    }

    /** Remember a write so {@link #isStale} can tell a cache that has not caught up yet from a real change. */
    @Override
    public void expectVersion(ResourceKey key, String resourceVersion) {
        if (resourceVersion == null) {
            return;
        }
        pendingVersions.put(key, resourceVersion);
        // The watch event may have beaten the HTTP response (or a no-op write sends none): check the store too.
        String apiVersion = apiVersionOf(key);
        GenericKubernetesResource cached = apiVersion == null ? null : stored(apiVersion, key);
        if (cached != null && atOrAfter(cached.getMetadata().getResourceVersion(), resourceVersion)) {
            pendingVersions.remove(key, resourceVersion);
        }
    }

    private GenericKubernetesResource stored(String apiVersion, ResourceKey key) {
        var informer = informers.get(apiVersion + "/" + key.kind());
        if (informer == null) {
            return null;
        }
        return informer.getStore().getByKey(key.clusterScoped() ? key.name() : key.namespace() + "/" + key.name());
    }

    private String apiVersionOf(ResourceKey key) {
        for (String id : informers.keySet()) {
            int slash = id.lastIndexOf('/');
            String apiVersion = id.substring(0, slash);
            if (id.substring(slash + 1).equals(key.kind())
                    && ResourceKey.groupOf(apiVersion).equals(key.group())) {
                return apiVersion;
            }
        }
        return null;
    }

    @Override
    public boolean isStale(ResourceKey key) {
        return pendingVersions.containsKey(key);
    }

    /** Called with the key of every object that is added, changed or deleted. */
    @Override
    public void onChange(Consumer<ResourceKey> listener) {
        listeners.add(listener);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> toMap(GenericKubernetesResource resource) {
        return client.getKubernetesSerialization().convertValue(resource, Map.class);
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::close);
        informers.clear();
    }

    private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
        private final String apiVersion;
        private final String kind;

        Handler(String apiVersion, String kind) {
            this.apiVersion = apiVersion;
            this.kind = kind;
        }

        @Override
        public void onAdd(GenericKubernetesResource obj) {
            seen(obj);
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            seen(newObj);
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            ResourceKey key = keyOf(obj);
            pendingVersions.remove(key);
            listeners.forEach(l -> l.accept(key));
        }

        private void seen(GenericKubernetesResource obj) {
            ResourceKey key = keyOf(obj);
            // Watch events arrive in order: once our write's version (or any later one) shows up, the cache is current.
            String version = obj.getMetadata().getResourceVersion();
            pendingVersions.computeIfPresent(key, (k, pending) -> atOrAfter(version, pending) ? null : pending);
            listeners.forEach(l -> l.accept(key));
        }

        private ResourceKey keyOf(GenericKubernetesResource obj) {
            return ResourceKey.of(
                    apiVersion,
                    kind,
                    obj.getMetadata().getNamespace(),
                    obj.getMetadata().getName());
        }
    }

    /**
     * resourceVersion is formally opaque, but every API server backed by etcd uses its revision number; when
     * both parse as numbers, order them, otherwise accept only the exact version we wrote.
     */
    static boolean atOrAfter(String seen, String pending) {
        if (seen == null) {
            return false;
        }
        try {
            return Long.parseLong(seen) >= Long.parseLong(pending);
        } catch (NumberFormatException e) {
            return seen.equals(pending);
        }
    }
}
