package dev.lockstep.cluster;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.util.Causes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live state of every object Lockstep manages, kept by one informer per kind (label-selected on
 * {@code app.kubernetes.io/managed-by=lockstep}). Diffs and drift checks read from here, so a pass with
 * nothing to do costs no API request at all.
 *
 * <p>The watches run on a client of their own (from {@code watchClients}), apart from the writes, made once for the
 * cache's life. Its connections are HTTP/1.1, so each watch and each list has a TCP connection to itself: closing an
 * informer closes its watch's connection, and a list again opens a new one. (Over HTTP/2 every request of a client
 * shares one connection, so a stalled one took every watch with it and only a new client could list again; each
 * closed client kept its JDK selector thread alive, and the soak's threads grew with every fault, issue 25.)
 *
 * <p>A watch can stall without closing (its TCP connection open, no byte coming), and then it looks alive while it
 * misses every change. So every {@code probeEvery} a {@link WatchProbe} asks the server, with one short watch per kind
 * on a connection of its own, whether the kind changed after the newest version the informer is known to be current
 * to; a kind whose informer missed changes (or whose version the server no longer keeps, or whose probe got no answer)
 * is listed again by the next {@link #ensureWatching()}, which closes the stalled watch and its connection.
 *
 * <p>That version moves with the informer's events and bookmarks (fabric8's reflector takes the version of both as
 * its {@code lastSyncResourceVersion}) and with the bookmarks of the probes themselves. On a busy server, where other
 * owners' objects of a kind keep changing while Lockstep's are quiet, the server keeps only the last minute or so of
 * events; a probe from a version older than that would get 410 Gone and cost a full list every minute.
 */
public final class LiveCache implements LiveObjects {
    private static final Logger log = LoggerFactory.getLogger(LiveCache.class);
    /** How long a probe's watch stays open at most: its bookmark comes 2 s before the end, and ends it. */
    private static final Duration PROBE_WINDOW = Duration.ofSeconds(3);
    /** How long the informer may lag behind the probe for an event both get. */
    private static final Duration PROBE_CATCH_UP = Duration.ofSeconds(2);
    /** Objects per page of a list (the first and each one again). */
    private static final long LIST_PAGE = 500;
    /** How long a probe may wait for its watch to open or close before it counts as no answer. */
    private static final Duration PROBE_ANSWER = Duration.ofSeconds(10);

    /**
     * Makes the watch client, once: HTTP/1.1 ({@link #watchConfig}), so that each request has a connection of its own;
     * made by {@link #watchClient}, it also reads objects as plain maps, which the store packs.
     */
    private final Supplier<KubernetesClient> watchClients;

    private final Duration syncTimeout;
    private final Duration probeEvery;
    private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers = new ConcurrentHashMap<>();
    private final Map<String, CompletionStage<Void>> starts = new ConcurrentHashMap<>();
    /** The packed store of each informer: the cache reads objects from it, the informer sees only stubs. */
    private final Map<SharedIndexInformer<GenericKubernetesResource>, TrimmedStore> storeOf = new ConcurrentHashMap<>();
    /** Kinds whose watch a probe found stalled: listed again by the next {@link #ensureWatching()}. */
    private final Set<String> stale = ConcurrentHashMap.newKeySet();
    /** Kinds to list again at the next {@link #ensureWatching()} because this replica's writes resume ({@link #relistAll}). */
    private final Set<String> distrusted = ConcurrentHashMap.newKeySet();
    /** Per kind, the newest version a probe proved its informer current to (a bookmark after all it had). */
    private final Map<String, String> provenVersions = new ConcurrentHashMap<>();

    private final List<Consumer<ResourceKey>> listeners = new CopyOnWriteArrayList<>();
    /** Objects just written whose write the informer has not delivered yet: their cached copy is stale. */
    private final Map<ResourceKey, String> pendingVersions = new ConcurrentHashMap<>();
    /** Notified when a pending version is seen, for {@link #awaitCurrent}. */
    private final Object caughtUp = new Object();

    private final WatchProbe probe = new WatchProbe(PROBE_WINDOW, PROBE_CATCH_UP);
    private final Object lifecycle = new Object();
    private KubernetesClient client;
    private ScheduledExecutorService prober;
    /** Runs each probe's request, so a request stuck on a dead connection does not stop the next probes. */
    private final ExecutorService probeCalls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "watch-probe-call");
        t.setDaemon(true);
        return t;
    });

    /** Watches on a client of their own, made from {@code main}'s configuration; probed every minute. */
    public LiveCache(KubernetesClient main, Duration syncTimeout) {
        this(ownConnections(main), syncTimeout, Duration.ofMinutes(1));
    }

    /**
     * @param watchClients makes the client of the watches and probes, called once; its configuration must disable HTTP/2
     *     ({@link #watchConfig})
     * @param probeEvery   how often each watch is probed for a stall
     */
    public LiveCache(Supplier<KubernetesClient> watchClients, Duration syncTimeout, Duration probeEvery) {
        this.watchClients = watchClients;
        this.syncTimeout = syncTimeout;
        this.probeEvery = probeEvery;
    }

    /** A client on {@code main}'s configuration (so its credentials and server), as {@link #watchClient} makes it. */
    public static Supplier<KubernetesClient> ownConnections(KubernetesClient main) {
        Config config = main.getConfiguration();
        return () -> watchClient(config)
                .withTaskExecutorSupplier(new NamedTaskExecutor("kube-watch-task"))
                .build();
    }

    /**
     * The watch client's builder: on {@link #watchConfig} of {@code config}, and reading every listed or watched object
     * in one pass as plain maps, which the store packs ({@link WatchSerialization}), without fabric8's typed model. A
     * client made otherwise works too, at the cost of that model and a second pass per object.
     */
    public static KubernetesClientBuilder watchClient(Config config) {
        return new KubernetesClientBuilder()
                .withConfig(watchConfig(config))
                .withKubernetesSerialization(WatchSerialization.create());
    }

    /**
     * {@code config} for the watch client: HTTP/1.1, so each watch, list and probe has a TCP connection of its own, and
     * without fabric8's request retries (they wait about 19 s).
     */
    public static Config watchConfig(Config config) {
        return new ConfigBuilder(config)
                .withHttp2Disable(true)
                .withRequestRetryBackoffLimit(0)
                .build();
    }

    /** The watch client, made on first use. */
    private KubernetesClient client() {
        synchronized (lifecycle) {
            if (client == null) {
                KubernetesClient made = watchClients.get();
                if (!made.getConfiguration().isHttp2Disable()) {
                    made.close();
                    throw new IllegalStateException(
                            "the watch client must use HTTP/1.1 (LiveCache.watchConfig): over HTTP/2 a stalled"
                                    + " connection takes every watch with it");
                }
                client = made;
                prober = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "watch-probe");
                    t.setDaemon(true);
                    return t;
                });
                long every = probeEvery.toMillis();
                prober.scheduleWithFixedDelay(this::probeAll, every, every, TimeUnit.MILLISECONDS);
            }
            return client;
        }
    }

    /** Starts watching a kind (idempotent) and waits until its first list has arrived. */
    @Override
    public void watch(String apiVersion, String kind) {
        String id = apiVersion + "/" + kind;
        var informer = informers.computeIfAbsent(id, ignored -> {
            log.debug("watching {} managed by lockstep", id);
            SharedIndexInformer<GenericKubernetesResource> created = newInformer(client(), apiVersion, kind);
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
            storeOf.remove(informer);
            throw new ClusterException("cannot watch " + id + ": " + Causes.rootMessage(e), 0, e);
        }
    }

    private SharedIndexInformer<GenericKubernetesResource> newInformer(
            KubernetesClient on, String apiVersion, String kind) {
        SharedIndexInformer<GenericKubernetesResource> created = on.genericKubernetesResources(apiVersion, kind)
                .inAnyNamespace()
                .withLabel(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE)
                // in pages: each is packed into the store before the next is read, so listing 10,000 Deployments
                // again never holds them all as typed objects at once (that ran a 256 MiB heap out of memory)
                .withLimit(LIST_PAGE)
                .runnableInformer(0);
        TrimmedStore store =
                new TrimmedStore(MetadataKeys.FIELD_MANAGER, apiVersion, kind, on.getKubernetesSerialization());
        created.itemStore(store);
        storeOf.put(created, store);
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
                log.info("the watch on {} is down (API server unreachable?): listing again", entry.getKey());
                relist(entry.getKey(), informer);
            } else if (started && stale.contains(entry.getKey())) {
                log.info("the watch on {} has stalled (it missed changes): listing again", entry.getKey());
                relist(entry.getKey(), informer);
            } else if (started && distrusted.contains(entry.getKey())) {
                log.info(
                        "listing {} again: this replica writes again after a time without the right to",
                        entry.getKey());
                relist(entry.getKey(), informer);
            }
            distrusted.remove(entry.getKey());
        }
    }

    @Override
    public void relistAll() {
        // it may have been cut off, its watches stalled open with it: list again (each on a new connection)
        distrusted.addAll(informers.keySet());
    }

    /** Every {@code probeEvery}, on the probe thread: marks the kinds whose watch stalled. */
    private void probeAll() {
        for (var entry : List.copyOf(informers.entrySet())) {
            String id = entry.getKey();
            var informer = entry.getValue();
            CompletionStage<Void> start = starts.get(id);
            String since = newest(informer.lastSyncResourceVersion(), provenVersions.get(id));
            if (start == null
                    || !start.toCompletableFuture().isDone()
                    || !informer.isWatching() // down: ensureWatching lists it again anyway
                    || stale.contains(id)
                    || since == null
                    || since.isEmpty()) {
                continue;
            }
            try {
                int slash = id.lastIndexOf('/');
                KubernetesClient on = client();
                // on a connection that stalled too, opening the probe's watch never returns: bounded here
                CompletableFuture<WatchProbe.Answer> call = CompletableFuture.supplyAsync(
                        () -> probe.probe(
                                on,
                                id.substring(0, slash),
                                id.substring(slash + 1),
                                since,
                                informer::lastSyncResourceVersion),
                        probeCalls);
                WatchProbe.Answer answer;
                try {
                    answer = call.get(
                            PROBE_WINDOW.toMillis() + PROBE_CATCH_UP.toMillis() + PROBE_ANSWER.toMillis(),
                            TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    answer = WatchProbe.Answer.of(WatchProbe.Verdict.NO_ANSWER);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException e) {
                    answer = WatchProbe.Answer.of(WatchProbe.Verdict.NO_ANSWER);
                }
                if (informers.get(id) != informer) {
                    continue; // listed again meanwhile
                }
                if (answer.verdict() == WatchProbe.Verdict.CURRENT) {
                    answer.provenTo().ifPresent(v -> provenVersions.merge(id, v, LiveCache::newest));
                } else {
                    log.info("probe of the watch on {} at version {}: {}", id, since, answer.verdict());
                    stale.add(id);
                }
            } catch (RuntimeException e) {
                log.debug("probe of the watch on {} failed: {}", id, e.toString());
            }
        }
    }

    /** The newer of two versions (either may be null or empty); the first when they cannot be ordered. */
    static String newest(String first, String second) {
        if (first == null || first.isEmpty()) {
            return second;
        }
        if (second == null || second.isEmpty()) {
            return first;
        }
        try {
            return Long.parseLong(second) > Long.parseLong(first) ? second : first;
        } catch (NumberFormatException e) {
            return first;
        }
    }

    /**
     * Replaces a watch that is down or stalled with a fresh list and watch, each on a new connection of the one watch
     * client; the stale store serves until the new one is full. Closing the old informer closes its watch's connection,
     * the stalled one included; a list that failed or got no answer in time closes its own.
     */
    private void relist(String id, SharedIndexInformer<GenericKubernetesResource> old) {
        int slash = id.lastIndexOf('/');
        SharedIndexInformer<GenericKubernetesResource> fresh =
                newInformer(client(), id.substring(0, slash), id.substring(slash + 1));
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
        provenVersions.remove(id); // proven for the old informer, not for the new one
        informers.put(id, fresh);
        starts.put(id, start);
        stale.remove(id);
        old.close();
        storeOf.remove(old);
    }

    /** The cached live object, if it exists and carries Lockstep's managed-by label. */
    @Override
    public Optional<Map<String, Object>> get(String apiVersion, ResourceKey key) {
        TrimmedStore store = store(apiVersion, key);
        return store == null ? Optional.empty() : store.read(storeKey(key));
    }

    @Override
    public Optional<String> resourceVersion(String apiVersion, ResourceKey key) {
        TrimmedStore store = store(apiVersion, key);
        return store == null ? Optional.empty() : store.resourceVersion(storeKey(key));
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
        Optional<String> cached = apiVersion == null ? Optional.empty() : resourceVersion(apiVersion, key);
        if (cached.isPresent() && atOrAfter(cached.get(), resourceVersion)) {
            pendingVersions.remove(key, resourceVersion);
        }
    }

    private TrimmedStore store(String apiVersion, ResourceKey key) {
        var informer = informers.get(apiVersion + "/" + key.kind());
        return informer == null ? null : storeOf.get(informer);
    }

    private static String storeKey(ResourceKey key) {
        return key.clusterScoped() ? key.name() : key.namespace() + "/" + key.name();
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

    /**
     * Only keys of a watched kind are waited for: the watch can never deliver a write to a kind it does not watch. A
     * bounded wait on the monotonic clock, woken by each watch event ({@link #caughtUp}); costs nothing when no key is
     * pending, which is every pass but one that follows this process's own writes within moments.
     */
    @Override
    public boolean awaitCurrent(java.util.Collection<ResourceKey> keys, Duration max) {
        List<ResourceKey> pending = keys.stream()
                .filter(pendingVersions::containsKey)
                .filter(k -> apiVersionOf(k) != null)
                .toList();
        if (pending.isEmpty()) {
            return true;
        }
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (caughtUp) {
            while (pending.stream().anyMatch(pendingVersions::containsKey)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    caughtUp.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private void wakeWaiters() {
        synchronized (caughtUp) {
            caughtUp.notifyAll();
        }
    }

    /** Called with the key of every object that is added, changed or deleted. */
    @Override
    public void onChange(Consumer<ResourceKey> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::close);
        informers.clear();
        storeOf.clear();
        synchronized (lifecycle) {
            if (prober != null) {
                prober.shutdownNow();
            }
            probeCalls.shutdownNow();
            if (client != null) {
                client.close();
            }
        }
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
            if (pendingVersions.remove(key) != null) {
                wakeWaiters();
            }
            listeners.forEach(l -> l.accept(key));
        }

        private void seen(GenericKubernetesResource obj) {
            ResourceKey key = keyOf(obj);
            // Watch events arrive in order: once our write's version (or any later one) shows up, the cache is current.
            String version = obj.getMetadata().getResourceVersion();
            if (pendingVersions.containsKey(key)
                    && pendingVersions.computeIfPresent(
                                    key, (k, pending) -> atOrAfter(version, pending) ? null : pending)
                            == null) {
                wakeWaiters();
            }
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
