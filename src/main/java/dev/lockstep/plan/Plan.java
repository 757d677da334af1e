package dev.lockstep.plan;

import dev.lockstep.model.InventoryEntry;
import java.util.List;

/** Every desired object's change, plus what is in the inventory but no longer in git. */
public record Plan(List<Change> changes, List<InventoryEntry> orphans) {
    public Plan {
        changes = List.copyOf(changes);
        orphans = List.copyOf(orphans);
    }

    public long writeCount() {
        return changes.stream().filter(Change::writes).count();
    }
}
