package dev.lockstep.plan;

import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.cluster.ObjectApi;
import dev.lockstep.config.AppSpec;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.util.Tree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Deletes what Lockstep created and git no longer has, last and in reverse stage order, and refuses when
 * the deletion looks like a mistake rather than an intent.
 */
public final class Pruner {
    private final ObjectApi objects;
    private final LiveObjects live;

    public Pruner(ObjectApi objects, LiveObjects live) {
        this.objects = objects;
        this.live = live;
    }

    /**
     * @param inventorySize how many objects the app had before this commit
     * @return what was deleted, what is kept (opt-out), and why a prune was refused, if it was
     */
    public PruneResult prune(AppSpec app, List<InventoryEntry> orphans, int inventorySize) {
        if (orphans.isEmpty()) {
            return new PruneResult(List.of(), List.of(), Optional.empty());
        }
        if (!app.prune()) {
            return new PruneResult(List.of(), orphans, Optional.empty());
        }
        double share = inventorySize == 0 ? 1.0 : (double) orphans.size() / inventorySize;
        if (share > app.maxPruneShare() && !app.allowMassPrune()) {
            return new PruneResult(
                    List.of(),
                    orphans,
                    Optional.of(String.format(
                            java.util.Locale.ROOT,
                            "refusing to prune %d of %d objects (%.0f%% > maxPruneShare %.0f%%); set allowMassPrune: true to allow it",
                            orphans.size(),
                            inventorySize,
                            share * 100,
                            app.maxPruneShare() * 100)));
        }
        List<InventoryEntry> deleted = new ArrayList<>();
        List<InventoryEntry> kept = new ArrayList<>();
        List<InventoryEntry> ordered = new ArrayList<>(orphans);
        ordered.sort(
                Comparator.comparing((InventoryEntry e) -> Stage.of(e.key())).reversed());
        for (InventoryEntry orphan : ordered) {
            boolean movedAway = live.get(orphan.apiVersion(), orphan.key())
                    .flatMap(o -> Tree.string(o, "metadata", "labels", MetadataKeys.APP))
                    .filter(owner -> !owner.equals(app.name()))
                    .isPresent();
            if (movedAway) {
                continue; // another app owns it now: neither deleted nor kept in this app's inventory
            }
            boolean optedOut = live.get(orphan.apiVersion(), orphan.key())
                    .flatMap(live -> Tree.string(live, "metadata", "annotations", MetadataKeys.PRUNE))
                    .filter(MetadataKeys.PRUNE_DISABLED::equals)
                    .isPresent();
            if (optedOut) {
                kept.add(orphan);
            } else {
                objects.delete(orphan.key(), orphan.apiVersion());
                deleted.add(orphan);
            }
        }
        return new PruneResult(deleted, kept, Optional.empty());
    }

    /** @param kept orphans left in place: opted out, prune disabled, or refused */
    public record PruneResult(List<InventoryEntry> deleted, List<InventoryEntry> kept, Optional<String> refused) {}
}
