package dev.lockstep.model;

import java.util.List;
import java.util.Map;

/**
 * What Lockstep must remember about an app across restarts, kept in the cluster (a ConfigMap), never on disk: the last
 * applied commit, the objects it created (the prune inventory), the revision history it made, what it decided
 * about writing to git, per object a fingerprint of the body applied and of the server's answer (so a new
 * process can skip the dry run of an object that did not change), the rollouts still followed (so the next leader
 * writes their history entries), and the notifications already sent ({@code <commit>:<event>}, the last
 * {@link #MAX_NOTIFIED}), so that no restart or new leader sends one twice.
 */
public record AppRecord(
        String commit,
        List<InventoryEntry> inventory,
        List<HistoryEntry> history,
        List<WriteBack> writeBacks,
        PruneHold pruneHold,
        Map<ResourceKey, String> fingerprints,
        List<FollowedRollout> following,
        List<String> notified) {
    public static final AppRecord EMPTY = new AppRecord("", List.of(), List.of(), List.of(), PruneHold.NONE);
    /** Notifications remembered per app: far more than the events of the commits still in anyone's mind. */
    public static final int MAX_NOTIFIED = 50;
    /**
     * History entries kept per workload, in memory as in the stored record: a Deployment keeps 10 old ReplicaSets by
     * default (revisionHistoryLimit), and older entries describe revisions that are gone. Without a bound here a daemon
     * running for months kept every entry in memory, and each save serialized all of them before trimming.
     */
    public static final int HISTORY_PER_WORKLOAD = 20;

    public AppRecord {
        inventory = List.copyOf(inventory);
        history = List.copyOf(history);
        writeBacks = List.copyOf(writeBacks);
        fingerprints = Map.copyOf(fingerprints);
        following = List.copyOf(following);
        notified = List.copyOf(
                notified.size() > MAX_NOTIFIED
                        ? notified.subList(notified.size() - MAX_NOTIFIED, notified.size())
                        : notified);
    }

    public AppRecord(
            String commit,
            List<InventoryEntry> inventory,
            List<HistoryEntry> history,
            List<WriteBack> writeBacks,
            PruneHold pruneHold,
            Map<ResourceKey, String> fingerprints,
            List<FollowedRollout> following) {
        this(commit, inventory, history, writeBacks, pruneHold, fingerprints, following, List.of());
    }

    public AppRecord(
            String commit,
            List<InventoryEntry> inventory,
            List<HistoryEntry> history,
            List<WriteBack> writeBacks,
            PruneHold pruneHold,
            Map<ResourceKey, String> fingerprints) {
        this(commit, inventory, history, writeBacks, pruneHold, fingerprints, List.of());
    }

    public AppRecord(
            String commit,
            List<InventoryEntry> inventory,
            List<HistoryEntry> history,
            List<WriteBack> writeBacks,
            PruneHold pruneHold) {
        this(commit, inventory, history, writeBacks, pruneHold, Map.of());
    }

    public AppRecord(
            String commit, List<InventoryEntry> inventory, List<HistoryEntry> history, List<WriteBack> writeBacks) {
        this(commit, inventory, history, writeBacks, PruneHold.NONE);
    }

    public AppRecord(String commit, List<InventoryEntry> inventory, List<HistoryEntry> history) {
        this(commit, inventory, history, List.of());
    }

    /** This record with {@code newHistory}, less what {@link #HISTORY_PER_WORKLOAD} leaves out. */
    public AppRecord withHistory(List<HistoryEntry> newHistory) {
        return new AppRecord(
                commit,
                inventory,
                HistoryEntry.newestOfEach(newHistory, HISTORY_PER_WORKLOAD),
                writeBacks,
                pruneHold,
                fingerprints,
                following,
                notified);
    }

    public AppRecord withInventory(List<InventoryEntry> newInventory) {
        return new AppRecord(commit, newInventory, history, writeBacks, pruneHold, fingerprints, following, notified);
    }

    public AppRecord withPruneHold(PruneHold hold) {
        return new AppRecord(commit, inventory, history, writeBacks, hold, fingerprints, following, notified);
    }

    /** @param rollouts the rollouts followed now, in key order (so an unchanged set is never saved again) */
    public AppRecord withFollowing(List<FollowedRollout> rollouts) {
        return new AppRecord(commit, inventory, history, writeBacks, pruneHold, fingerprints, rollouts, notified);
    }

    public AppRecord with(WriteBack decision) {
        List<WriteBack> all = new java.util.ArrayList<>(writeBacks);
        all.add(decision);
        return new AppRecord(commit, inventory, history, all, pruneHold, fingerprints, following, notified);
    }

    /** Whether {@code key} ({@link NotificationEvent#keyFor}) was sent already. */
    public boolean wasNotified(String key) {
        return notified.contains(key);
    }

    /** With {@code key} remembered as sent; the oldest beyond {@link #MAX_NOTIFIED} are forgotten. */
    public AppRecord withNotified(String key) {
        List<String> all = new java.util.ArrayList<>(notified);
        all.add(key);
        return new AppRecord(commit, inventory, history, writeBacks, pruneHold, fingerprints, following, all);
    }

    /** What was decided about {@code action} on {@code target}, if anything ever was. */
    public java.util.Optional<WriteBack> decided(String action, String target) {
        return writeBacks.stream()
                .filter(w -> w.action().equals(action) && w.target().equals(target))
                .findFirst();
    }
}
