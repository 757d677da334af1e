package dev.lockstep.testing;

import dev.lockstep.cluster.AppRecords;
import dev.lockstep.cluster.ClusterException;
import dev.lockstep.cluster.ClusterPort;
import dev.lockstep.cluster.ControllerRevisions;
import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.cluster.ObjectApi;
import dev.lockstep.cluster.ReplicaSetLister;
import dev.lockstep.manifest.KindScopes;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.ServiceAccountRef;
import dev.lockstep.util.Tree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * An in-memory cluster behind the reconcile pass's ports, for unit tests of the steps. It stores what is applied, keeps
 * server-owned fields (uid, status) and annotations or labels others set across applies, like server-side apply does, records every call in order, and fails on demand.
 * It runs no controller: a test plays the Deployment controller by editing live objects and listing ReplicaSets itself.
 */
public final class FakeCluster implements ObjectApi, LiveObjects, ReplicaSetLister, ControllerRevisions, AppRecords {
    private final Map<ResourceKey, Map<String, Object>> objects = new ConcurrentHashMap<>();
    private final Map<ResourceKey, ClusterException> dryRunFailures = new ConcurrentHashMap<>();
    private final Map<ResourceKey, ClusterException> applyFailures = new ConcurrentHashMap<>();
    private final Map<String, AppRecord> records = new ConcurrentHashMap<>();
    private final Map<String, List<ReplicaSetInfo>> replicaSets = new ConcurrentHashMap<>();
    private final Map<String, List<ControllerRevisionInfo>> controllerRevisions = new ConcurrentHashMap<>();
    private final Set<String> unservedKinds = ConcurrentHashMap.newKeySet();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<String> watched = new CopyOnWriteArrayList<>();
    /** Kinds each impersonated account may not write, as its RBAC would say. */
    private final Map<ServiceAccountRef, Set<String>> forbiddenKinds = new ConcurrentHashMap<>();
    /** The calls made as each account, like {@link #calls()}. */
    private final Map<ServiceAccountRef, List<String>> callsAs = new ConcurrentHashMap<>();

    private final List<Consumer<ResourceKey>> listeners = new CopyOnWriteArrayList<>();
    private final Map<ResourceKey, Runnable> beforeCreate = new ConcurrentHashMap<>();
    private volatile ClusterException saveFailure;
    private volatile RuntimeException readFailure;
    private volatile Error readError;
    private volatile CountDownLatch readsHeld;
    private long resourceVersion = 100;

    public ClusterPort port() {
        return new ClusterPort(this, this, this, this, this, KindScopes.builtIn());
    }

    // ---- what a test arranges ----

    /** The next dry runs (and applies) of {@code key} fail like this, e.g. a 422 for an invalid object or a 500. */
    public FakeCluster failDryRun(ResourceKey key, int status, String message) {
        dryRunFailures.put(key, new ClusterException("dry-run apply " + key + " failed: " + message, status, null));
        return this;
    }

    /** The next applies of {@code key} fail like this (its dry run passes). */
    public FakeCluster failApply(ResourceKey key, int status, String message) {
        applyFailures.put(key, new ClusterException("apply " + key + " failed: " + message, status, null));
        return this;
    }

    /** The server behaves again: no dry run, apply or save fails any more. */
    public FakeCluster clearFailures() {
        dryRunFailures.clear();
        applyFailures.clear();
        saveFailure = null;
        readError = null;
        return this;
    }

    /** Every read of the watch cache throws this: a bug in a port, not a cluster failure. */
    public FakeCluster failReads(RuntimeException bug) {
        readFailure = bug;
        return this;
    }

    /** Every read of the watch cache throws this Error (an OutOfMemoryError, say) until {@link #clearFailures}. */
    public FakeCluster failReads(Error error) {
        readError = error;
        return this;
    }

    /** Every read of the watch cache waits until {@code release} opens: a pass that takes as long as a test wants. */
    public FakeCluster holdReads(CountDownLatch release) {
        readsHeld = release;
        return this;
    }

    public FakeCluster failSaves(ClusterException failure) {
        saveFailure = failure;
        return this;
    }

    /** The server does not serve this kind (a CRD not installed): watching it fails with 404. */
    public FakeCluster unserved(String kind) {
        unservedKinds.add(kind);
        return this;
    }

    /** The ReplicaSets the Deployment controller made for {@code deployment} ("namespace/name"), oldest first. */
    public FakeCluster replicaSets(String deployment, List<ReplicaSetInfo> owned) {
        replicaSets.put(deployment, List.copyOf(owned));
        return this;
    }

    /** Someone else (kubectl, a controller) changes a live object: the watch delivers it. */
    public void edit(ResourceKey key, Consumer<Map<String, Object>> change) {
        Map<String, Object> live = Tree.deepCopy(objects.get(key));
        change.accept(live);
        store(key, live);
    }

    /** Puts an object in the cluster as if someone else had created it with Lockstep's labels. */
    public void put(ResourceKey key, Map<String, Object> object) {
        store(key, Tree.deepCopy(object));
    }

    public void removeFromCluster(ResourceKey key) {
        objects.remove(key);
        listeners.forEach(l -> l.accept(key));
    }

    // ---- what a test asserts on ----

    /** Every call, in order: "dryRun Deployment/ns/name", "apply ...", "delete ...", "save hello", "load hello". */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    public List<String> calls(String verb) {
        return calls.stream().filter(c -> c.startsWith(verb + " ")).toList();
    }

    /** Every {@code watch(apiVersion, kind)} call, in order ("apps/v1/Deployment"), repeats included. */
    public List<String> watched() {
        return List.copyOf(watched);
    }

    public void clearCalls() {
        calls.clear();
    }

    public Optional<Map<String, Object>> object(ResourceKey key) {
        return Optional.ofNullable(objects.get(key)).map(Tree::deepCopy);
    }

    public Optional<AppRecord> record(String app) {
        return Optional.ofNullable(records.get(app));
    }

    /** Writes of {@code kind} made as {@code account} fail with 403, as that account's RBAC would refuse them. */
    public FakeCluster forbid(ServiceAccountRef account, String kind) {
        forbiddenKinds
                .computeIfAbsent(account, a -> ConcurrentHashMap.newKeySet())
                .add(kind);
        return this;
    }

    /** The account may write {@code kind} again (a Role granted). */
    public FakeCluster allow(ServiceAccountRef account, String kind) {
        forbiddenKinds.getOrDefault(account, Set.of()).remove(kind);
        return this;
    }

    public List<String> callsAs(ServiceAccountRef account) {
        return List.copyOf(callsAs.getOrDefault(account, List.of()));
    }

    // ---- ObjectApi ----

    @Override
    public ObjectApi as(ServiceAccountRef account) {
        return new ObjectApi() {
            @Override
            public Map<String, Object> dryRunApply(ResourceKey key, Map<String, Object> body) {
                check(key, "patch", "dryRun");
                return FakeCluster.this.dryRunApply(key, body);
            }

            @Override
            public Map<String, Object> apply(ResourceKey key, Map<String, Object> body) {
                check(key, "patch", "apply");
                return FakeCluster.this.apply(key, body);
            }

            @Override
            public Map<String, Object> create(ResourceKey key, Map<String, Object> body) {
                check(key, "patch", "apply");
                return FakeCluster.this.create(key, body);
            }

            @Override
            public boolean delete(ResourceKey key, String apiVersion) {
                check(key, "delete", "delete");
                return FakeCluster.this.delete(key, apiVersion);
            }

            @Override
            public ObjectApi as(ServiceAccountRef other) {
                throw new IllegalStateException("already impersonating " + account);
            }

            private void check(ResourceKey key, String verb, String call) {
                callsAs.computeIfAbsent(account, a -> new CopyOnWriteArrayList<>())
                        .add(call + " " + key);
                if (forbiddenKinds.getOrDefault(account, Set.of()).contains(key.kind())) {
                    throw new ClusterException(
                            "forbidden: " + account + " may not " + verb + " " + key + ": User \"" + account.username()
                                    + "\" cannot " + verb + " resource",
                            403,
                            null);
                }
            }
        };
    }

    @Override
    public Map<String, Object> dryRunApply(ResourceKey key, Map<String, Object> body) {
        calls.add("dryRun " + key);
        ClusterException failure = dryRunFailures.get(key);
        if (failure != null) {
            throw failure;
        }
        return merged(key, body);
    }

    @Override
    public Map<String, Object> apply(ResourceKey key, Map<String, Object> body) {
        calls.add("apply " + key);
        ClusterException failure = applyFailures.getOrDefault(key, dryRunFailures.get(key));
        if (failure != null) {
            throw failure;
        }
        Map<String, Object> stored = merged(key, body);
        store(key, stored);
        return Tree.deepCopy(objects.get(key));
    }

    /**
     * As the server answers an apply whose precondition no stored object meets: created when absent (whether or not it
     * carries Lockstep's labels), 409 when present. Recorded as an apply, which it is on the wire.
     */
    @Override
    public Map<String, Object> create(ResourceKey key, Map<String, Object> body) {
        Runnable hook = beforeCreate.remove(key);
        if (hook != null) {
            hook.run();
        }
        synchronized (this) {
            if (objects.containsKey(key)) {
                calls.add("apply " + key);
                throw new ClusterException(
                        "create " + key + " failed: it exists by now (created by another app or client since this pass"
                                + " planned it); its owner is judged again at the next pass",
                        409,
                        null);
            }
            return apply(key, body);
        }
    }

    /** Just before the next create of {@code key} reaches the server, {@code meanwhile} runs: another writer racing. */
    public FakeCluster beforeCreate(ResourceKey key, Runnable meanwhile) {
        beforeCreate.put(key, meanwhile);
        return this;
    }

    @Override
    public boolean delete(ResourceKey key, String apiVersion) {
        calls.add("delete " + key);
        boolean existed = objects.remove(key) != null;
        listeners.forEach(l -> l.accept(key));
        return existed;
    }

    @Override
    public void replaceManagedFields(
            ResourceKey key, String apiVersion, String resourceVersion, List<Map<String, Object>> fields) {
        calls.add("takeOver " + key);
        Map<String, Object> live = Tree.deepCopy(objects.get(key));
        Tree.ensureMap(live, "metadata").put("managedFields", Tree.deepCopy(fields));
        store(key, live);
    }

    @Override
    public Map<String, Object> dryRunReplace(ResourceKey key, String apiVersion, Map<String, Object> body) {
        calls.add("dryRunReplace " + key);
        return Tree.deepCopy(body);
    }

    /** The body as the server would store it: server-owned metadata and status kept from the live object. */
    private Map<String, Object> merged(ResourceKey key, Map<String, Object> body) {
        Map<String, Object> out = Tree.deepCopy(body);
        Map<String, Object> live = objects.get(key);
        Map<String, Object> metadata = Tree.ensureMap(out, "metadata");
        if (live != null) {
            Map<String, Object> liveMetadata = Tree.map(live, "metadata");
            for (String field : List.of("uid", "creationTimestamp", "resourceVersion")) {
                if (liveMetadata.containsKey(field)) {
                    metadata.put(field, liveMetadata.get(field));
                }
            }
            for (String owned : List.of("annotations", "labels")) { // what others set (the controller) stays
                Map<String, Object> merged = new LinkedHashMap<>(Tree.map(live, "metadata", owned));
                merged.putAll(Tree.map(out, "metadata", owned));
                if (!merged.isEmpty()) {
                    metadata.put(owned, merged);
                }
            }
            if (live.containsKey("status")) {
                out.put("status", Tree.deepCopy(live.get("status")));
            }
        } else {
            metadata.put("uid", "uid-" + key.name());
        }
        return out;
    }

    private synchronized void store(ResourceKey key, Map<String, Object> object) {
        Tree.ensureMap(object, "metadata").put("resourceVersion", Long.toString(++resourceVersion));
        objects.put(key, object);
        listeners.forEach(l -> l.accept(key));
    }

    // ---- LiveObjects ----

    @Override
    public void watch(String apiVersion, String kind) {
        watched.add(apiVersion + "/" + kind);
        if (unservedKinds.contains(kind)) {
            throw new ClusterException("cannot watch " + apiVersion + "/" + kind + ": not found", 404, null);
        }
    }

    /** As the real watch cache: every write (store) gives the object a new resourceVersion. */
    @Override
    public Optional<String> resourceVersion(String apiVersion, ResourceKey key) {
        if (readFailure != null || readError != null || readsHeld != null) {
            return Optional.empty(); // the failure or wait comes with the read of the object
        }
        Map<String, Object> live = watchBehind.contains(key) ? null : objects.get(key);
        boolean managed = live != null
                && MetadataKeys.MANAGED_BY_VALUE.equals(Tree.string(live, "metadata", "labels", MetadataKeys.MANAGED_BY)
                        .orElse(null));
        return managed ? Tree.string(live, "metadata", "resourceVersion") : Optional.empty();
    }

    @Override
    public Optional<Map<String, Object>> get(String apiVersion, ResourceKey key) {
        if (readFailure != null) {
            throw readFailure;
        }
        if (readError != null) {
            throw readError;
        }
        CountDownLatch held = readsHeld;
        if (held != null) {
            try {
                held.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, Object> live = watchBehind.contains(key) ? null : objects.get(key);
        boolean managed = live != null
                && MetadataKeys.MANAGED_BY_VALUE.equals(Tree.string(live, "metadata", "labels", MetadataKeys.MANAGED_BY)
                        .orElse(null));
        return managed ? Optional.of(Tree.deepCopy(live)) : Optional.empty();
    }

    @Override
    public void expectVersion(ResourceKey key, String resourceVersion) {
        // every write is visible at once here: the cache is never behind
    }

    @Override
    public boolean isStale(ResourceKey key) {
        return watchBehind.contains(key);
    }

    /** The watch has not delivered the last write of {@code key} yet: reads miss it and {@link #isStale} says so. */
    public FakeCluster watchBehind(ResourceKey key) {
        watchBehind.add(key);
        return this;
    }

    /** The watch has delivered every write. */
    public FakeCluster watchCaughtUp() {
        watchBehind.clear();
        return this;
    }

    @Override
    public void onChange(Consumer<ResourceKey> listener) {
        listeners.add(listener);
    }

    // ---- ReplicaSetLister ----

    @Override
    public List<ReplicaSetInfo> ownedBy(String namespace, String deploymentName, Map<String, String> selector) {
        calls.add("listReplicaSets " + namespace + "/" + deploymentName);
        return replicaSets.getOrDefault(namespace + "/" + deploymentName, List.of());
    }

    @Override
    public Map<String, List<ReplicaSetInfo>> byOwner(String namespace, Map<String, Map<String, String>> owners) {
        calls.add("listReplicaSets " + namespace);
        Map<String, List<ReplicaSetInfo>> out = new LinkedHashMap<>();
        replicaSets.forEach((deployment, owned) -> {
            if (deployment.startsWith(namespace + "/")
                    && owners.containsKey(deployment.substring(namespace.length() + 1))) {
                out.put(deployment.substring(namespace.length() + 1), owned);
            }
        });
        return out;
    }

    /** The ControllerRevisions a StatefulSet or DaemonSet ("Kind namespace/name") owns, as its controller made them. */
    public FakeCluster controllerRevisions(String owner, List<ControllerRevisionInfo> owned) {
        controllerRevisions.put(owner, List.copyOf(owned));
        return this;
    }

    // ---- ControllerRevisions ----

    @Override
    public List<ControllerRevisionInfo> ownedBy(
            String namespace, String ownerKind, String ownerName, Map<String, String> selector) {
        calls.add("listControllerRevisions " + ownerKind + " " + namespace + "/" + ownerName);
        return controllerRevisions.getOrDefault(ownerKind + " " + namespace + "/" + ownerName, List.of());
    }

    @Override
    public void annotate(String namespace, String name, Map<String, String> annotations) {
        calls.add("annotateControllerRevision " + namespace + "/" + name);
        controllerRevisions.replaceAll((owner, list) -> list.stream()
                .map(cr -> {
                    if (!cr.name().equals(name) || !owner.contains(" " + namespace + "/")) {
                        return cr;
                    }
                    Map<String, String> merged = new LinkedHashMap<>(cr.annotations());
                    merged.putAll(annotations);
                    return new ControllerRevisionInfo(
                            cr.name(), cr.uid(), cr.revision(), merged, cr.template(), cr.created());
                })
                .toList());
    }

    @Override
    public List<String> deleteUnreadyPodsNotAt(String namespace, Map<String, String> selector, String revision) {
        calls.add("deleteUnreadyPods " + namespace + " not at " + revision);
        return List.of();
    }

    // ---- AppRecords ----

    @Override
    public Optional<AppRecord> load(String app) {
        calls.add("load " + app);
        return Optional.ofNullable(records.get(app));
    }

    @Override
    public void save(String app, AppRecord record) {
        calls.add("save " + app);
        if (saveFailure != null) {
            throw saveFailure;
        }
        records.put(app, record);
    }

    private final Map<String, String> pruneConfirmations = new ConcurrentHashMap<>();
    private final java.util.Set<ResourceKey> watchBehind = ConcurrentHashMap.newKeySet();

    @Override
    public Optional<String> pruneConfirmation(String app) {
        calls.add("read confirmation " + app);
        return Optional.ofNullable(pruneConfirmations.get(app));
    }

    @Override
    public void confirmPrune(String app, String token) {
        pruneConfirmations.put(app, token);
    }

    /** Keys of the objects in the cluster, for assertions. */
    public Set<ResourceKey> keys() {
        return new HashSet<>(objects.keySet());
    }

    /** A copy of every object, for assertions that nothing changed. */
    public Map<ResourceKey, Map<String, Object>> snapshot() {
        Map<ResourceKey, Map<String, Object>> out = new HashMap<>();
        objects.forEach((k, v) -> out.put(k, Tree.deepCopy(v)));
        return out;
    }

    /** Objects whose calls happened in this order (for stage-order assertions). */
    public List<String> order(String verb) {
        List<String> out = new ArrayList<>();
        calls(verb).forEach(c -> out.add(c.substring(verb.length() + 1)));
        return out;
    }
}
