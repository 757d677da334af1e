package dev.lockstep.plan;

import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.cluster.ObjectApi;
import dev.lockstep.config.AppSpec;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.PruneHold;
import dev.lockstep.util.Tree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
     * Objects held by an earlier refusal stay, whatever the share of this commit, until {@code allowMassPrune} or a
     * confirmation releases them; other orphans are judged by {@code maxPruneShare} on their own, and a refusal adds
     * them to the hold.
     *
     * @param inventorySize how many objects the app had before this commit
     * @param hold          what earlier refusals hold
     * @param confirmed     a person confirmed exactly this hold
     * @param commit        the commit being applied, named by a new hold
     * @return what was deleted, what is kept, why a prune was refused or is held, and the hold from now on
     */
    public PruneResult prune(
            AppSpec app,
            List<InventoryEntry> orphans,
            int inventorySize,
            PruneHold hold,
            boolean confirmed,
            String commit) {
        if (orphans.isEmpty()) {
            return new PruneResult(List.of(), List.of(), Optional.empty(), PruneHold.NONE);
        }
        Set<InventoryEntry> orphanSet = new HashSet<>(orphans);
        List<InventoryEntry> stillHeld =
                hold.objects().stream().filter(orphanSet::contains).toList();
        PruneHold current = stillHeld.isEmpty() ? PruneHold.NONE : new PruneHold(hold.commit(), stillHeld);
        if (!app.prune()) {
            return new PruneResult(List.of(), orphans, Optional.empty(), current);
        }
        if (app.allowMassPrune() || (confirmed && !current.isEmpty())) {
            return deleteAll(app.name(), orphans, PruneHold.NONE);
        }
        List<InventoryEntry> fresh =
                orphans.stream().filter(o -> !stillHeld.contains(o)).toList();
        double share = inventorySize == 0 ? 1.0 : (double) fresh.size() / inventorySize;
        if (!fresh.isEmpty() && share > app.maxPruneShare()) {
            List<InventoryEntry> held = new ArrayList<>(stillHeld);
            held.addAll(fresh);
            return new PruneResult(
                    List.of(),
                    orphans,
                    Optional.of(String.format(
                            java.util.Locale.ROOT,
                            "refusing to prune %d of %d objects (%.0f%% > maxPruneShare %.0f%%); they are held until"
                                    + " a person confirms (allowMassPrune: true, or lockstep prune --app %s --confirm)",
                            fresh.size(),
                            inventorySize,
                            share * 100,
                            app.maxPruneShare() * 100,
                            app.name())),
                    new PruneHold(stillHeld.isEmpty() ? commit : hold.commit(), held));
        }
        PruneResult pruned = deleteAll(app.name(), fresh, current);
        List<InventoryEntry> kept = new ArrayList<>(pruned.kept());
        kept.addAll(stillHeld);
        return new PruneResult(pruned.deleted(), kept, Optional.empty(), current);
    }

    /** Deletes what a confirmed hold holds (objects opted out by annotation stay). */
    public PruneResult release(String app, PruneHold hold) {
        return deleteAll(app, hold.objects(), PruneHold.NONE);
    }

    private PruneResult deleteAll(String app, List<InventoryEntry> orphans, PruneHold remaining) {
        List<InventoryEntry> deleted = new ArrayList<>();
        List<InventoryEntry> kept = new ArrayList<>();
        List<InventoryEntry> ordered = new ArrayList<>(orphans);
        ordered.sort(
                Comparator.comparing((InventoryEntry e) -> Stage.of(e.key())).reversed());
        for (InventoryEntry orphan : ordered) {
            boolean movedAway = live.get(orphan.apiVersion(), orphan.key())
                    .flatMap(o -> Tree.string(o, "metadata", "labels", MetadataKeys.APP))
                    .filter(owner -> !owner.equals(app))
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
        return new PruneResult(deleted, kept, Optional.empty(), remaining);
    }

    /**
     * @param kept orphans left in place: opted out, prune disabled, refused or held
     * @param hold what stays held after this prune (empty when nothing is)
     */
    public record PruneResult(
            List<InventoryEntry> deleted, List<InventoryEntry> kept, Optional<String> refused, PruneHold hold) {}
}
