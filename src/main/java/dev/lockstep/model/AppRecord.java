package dev.lockstep.model;

import java.util.List;

/**
 * What Lockstep must remember about an app across restarts, kept in the cluster (a ConfigMap), never on disk:
 * the last applied commit, the objects it created (the prune inventory) and the revision history it made.
 */
public record AppRecord(String commit, List<InventoryEntry> inventory, List<HistoryEntry> history) {
    public static final AppRecord EMPTY = new AppRecord("", List.of(), List.of());

    public AppRecord {
        inventory = List.copyOf(inventory);
        history = List.copyOf(history);
    }
}
