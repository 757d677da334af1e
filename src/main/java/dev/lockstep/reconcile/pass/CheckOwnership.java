package dev.lockstep.reconcile.pass;

import dev.lockstep.cluster.AppRecords;
import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.plan.Change;
import dev.lockstep.util.Tree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One owner per object: an object another app owns (its {@code lockstep.dev/app} label names that app, and that app's
 * record lists it in its inventory) is refused, and the whole commit stalls, so two apps declaring the same object
 * never flip it between their versions. An object labelled for an app whose inventory does not list it (the app is
 * gone, or let go of it) may be taken. Costs no request unless a label names another app.
 */
final class CheckOwnership implements Step {
    private final String app;
    private final AppRecords records;
    private final LiveObjects live;

    CheckOwnership(String app, AppRecords records, LiveObjects live) {
        this.app = app;
        this.records = records;
        this.live = live;
    }

    @Override
    public StepResult run(Pass pass) {
        Revision commit = pass.requireCommit();
        Map<String, Set<ResourceKey>> others = new HashMap<>(); // each other app's inventory, read once
        List<String> refused = new ArrayList<>();
        for (Change change : pass.requirePlan().changes()) {
            if (change.live().isEmpty() && live.isStale(change.key())) {
                // Another app of this daemon has just written it and the watch has not delivered that yet: its label
                // is not known here, so a "create" could take another app's object. Judged again at the next pass.
                return new StepResult.Retry(
                        pass, change.key() + " was just written and the watch cache has not caught up yet");
            }
            Optional<String> owner = change.live()
                    .flatMap(live -> Tree.string(live, "metadata", "labels", MetadataKeys.APP))
                    .filter(label -> !label.equals(app));
            if (owner.isPresent()
                    && others.computeIfAbsent(owner.get(), this::inventoryOf).contains(change.key())) {
                refused.add("commit " + commit.shortSha() + ": "
                        + change.manifest().location() + ": " + change.key()
                        + " belongs to app " + owner.get() + " (its " + MetadataKeys.APP + " label and app "
                        + owner.get() + "'s inventory); app " + app + " may not take it: remove it from one of the"
                        + " two apps (to move it, remove it from app " + owner.get() + " first)");
            }
        }
        return refused.isEmpty() ? new StepResult.Continue(pass) : new StepResult.Stalled(pass, refused);
    }

    private Set<ResourceKey> inventoryOf(String otherApp) {
        return records.load(otherApp)
                .map(r -> r.inventory().stream().map(InventoryEntry::key).collect(Collectors.toSet()))
                .orElse(Set.of());
    }
}
