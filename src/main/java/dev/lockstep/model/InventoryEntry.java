package dev.lockstep.model;

/** An object Lockstep created, by key and apiVersion (the version is needed to delete it). */
public record InventoryEntry(ResourceKey key, String apiVersion) {
    /** A handful of apiVersions, each held by thousands of entries: one shared copy. */
    public InventoryEntry {
        apiVersion = apiVersion == null ? null : apiVersion.intern();
    }
}
