package dev.lockstep.cluster;

import dev.lockstep.model.ResourceKey;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The live state of the objects Lockstep manages, as a watch keeps it: reading it costs no API request.
 * Only objects carrying Lockstep's managed-by label are seen.
 */
public interface LiveObjects extends ObjectReader, AutoCloseable {
    /** Starts watching a kind (idempotent) and returns once its first list has arrived. */
    void watch(String apiVersion, String kind);

    /**
     * Makes sure every watch is up before a pass reads the cache: a watch that is down (after an API server outage it
     * waits out a growing backoff before listing again) is listed afresh now. The old cache is kept until the new list
     * has arrived, so a pass never sees an empty cache; if the list fails, this throws {@link ClusterException} and the
     * pass retries rather than act on stale state. Costs no request while every watch is up.
     */
    default void ensureWatching() {}

    /**
     * Distrusts every watch: each kind is listed afresh by the next {@link #ensureWatching()}. For a replica that may
     * write again after a time without that right: while it stood by, perhaps cut off, its watches may have missed
     * what another replica changed, and a pass on that cache would take the change for drift and write it again.
     */
    default void relistAll() {}

    /** The live object, if it exists and carries Lockstep's managed-by label. */
    @Override
    Optional<Map<String, Object>> get(String apiVersion, ResourceKey key);

    /**
     * The live object's resourceVersion, read without parsing the object; empty when it is not cached, or when this
     * cache cannot tell it cheaply (then callers read the object).
     */
    default Optional<String> resourceVersion(String apiVersion, ResourceKey key) {
        return Optional.empty();
    }

    /** Remembers a write, so {@link #isStale} can tell a watch that has not caught up from a real change. */
    void expectVersion(ResourceKey key, String resourceVersion);

    /** True while the watch has not yet delivered the last write to {@code key}. */
    boolean isStale(ResourceKey key);

    /**
     * Waits at most {@code max} until the watch has delivered this process's last write to each of {@code keys}, so a
     * pass planned right after the previous one's writes sees them instead of giving up on a stale cache.
     *
     * @return whether none of them is stale now
     */
    default boolean awaitCurrent(java.util.Collection<ResourceKey> keys, java.time.Duration max) {
        return keys.stream().noneMatch(this::isStale);
    }

    /** Called with the key of every object that is added, changed or deleted. */
    void onChange(Consumer<ResourceKey> listener);

    @Override
    default void close() {}
}
