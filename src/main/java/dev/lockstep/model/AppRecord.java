package dev.lockstep.model;

import java.util.List;

/**
 * What Lockstep must remember about an app across restarts, kept in the cluster (a ConfigMap), never on disk: the last
 * applied commit, the objects it created (the prune inventory), the revision history it made, and what it decided
 * about writing to git.
 */
public record AppRecord(
        String commit,
        List<InventoryEntry> inventory,
        List<HistoryEntry> history,
        List<WriteBack> writeBacks,
        PruneHold pruneHold) {
    public static final AppRecord EMPTY = new AppRecord("", List.of(), List.of(), List.of(), PruneHold.NONE);

    public AppRecord {
        inventory = List.copyOf(inventory);
        history = List.copyOf(history);
        writeBacks = List.copyOf(writeBacks);
    }

    public AppRecord(
            String commit, List<InventoryEntry> inventory, List<HistoryEntry> history, List<WriteBack> writeBacks) {
        this(commit, inventory, history, writeBacks, PruneHold.NONE);
    }

    public AppRecord(String commit, List<InventoryEntry> inventory, List<HistoryEntry> history) {
        this(commit, inventory, history, List.of());
    }

    public AppRecord withHistory(List<HistoryEntry> newHistory) {
        return new AppRecord(commit, inventory, newHistory, writeBacks, pruneHold);
    }

    public AppRecord withInventory(List<InventoryEntry> newInventory) {
        return new AppRecord(commit, newInventory, history, writeBacks, pruneHold);
    }

    public AppRecord withPruneHold(PruneHold hold) {
        return new AppRecord(commit, inventory, history, writeBacks, hold);
    }

    public AppRecord with(WriteBack decision) {
        List<WriteBack> all = new java.util.ArrayList<>(writeBacks);
        all.add(decision);
        return new AppRecord(commit, inventory, history, all, pruneHold);
    }

    /** What was decided about {@code action} on {@code target}, if anything ever was. */
    public java.util.Optional<WriteBack> decided(String action, String target) {
        return writeBacks.stream()
                .filter(w -> w.action().equals(action) && w.target().equals(target))
                .findFirst();
    }
}
