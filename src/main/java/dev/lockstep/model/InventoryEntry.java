package dev.lockstep.model;

/** An object Lockstep created, by key and apiVersion (the version is needed to delete it). */
public record InventoryEntry(ResourceKey key, String apiVersion) {}
