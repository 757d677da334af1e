package dev.lockstep.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One revision of a Deployment, StatefulSet, DaemonSet or Job made by Lockstep, as stored in the app's record in the
 * cluster. An entry belongs to one workload by kind and "namespace/name": a Deployment and a StatefulSet of the same
 * name in one namespace each have their own entries.
 *
 * @param kind     Deployment, StatefulSet, DaemonSet or Job
 * @param workload "namespace/name"
 * @param result   "rolled out", "failed", "progressing", "rolled back to N" or "superseded"
 */
public record HistoryEntry(
        String kind,
        String workload,
        long revision,
        String replicaSet,
        String commit,
        String subject,
        String author,
        Instant appliedAt,
        String result) {
    /** The kinds whose rollouts Lockstep follows and records. */
    private static final Set<String> RECORDED_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job");

    /** "namespace/name" of a workload, as in {@link #workload()}. */
    public static String workloadOf(ResourceKey key) {
        return key.namespace() + "/" + key.name();
    }

    /** True when this entry is about that workload (same kind, namespace and name). */
    public boolean isOf(ResourceKey key) {
        // without building "namespace/name": called for every entry of a history of thousands, per workload
        String namespace = key.namespace();
        String name = key.name();
        return kind.equals(key.kind())
                && workload.length() == namespace.length() + 1 + name.length()
                && workload.startsWith(namespace)
                && workload.charAt(namespace.length()) == '/'
                && workload.endsWith(name);
    }

    /** The key {@link #latestOfEach} and {@link #newestOfEach} file an entry under: kind, namespace and name. */
    private static String workloadKey(String kind, String workload) {
        return kind + " " + workload;
    }

    /** The newest entry of each workload, to look up with {@link #latestOf}: one pass instead of one per workload. */
    public static Map<String, HistoryEntry> latestOfEach(List<HistoryEntry> history) {
        Map<String, HistoryEntry> latest = new HashMap<>();
        history.forEach(h -> latest.put(workloadKey(h.kind(), h.workload()), h));
        return latest;
    }

    /** The newest entry of {@code key}'s workload in a map made by {@link #latestOfEach}. */
    public static Optional<HistoryEntry> latestOf(Map<String, HistoryEntry> latest, ResourceKey key) {
        return Optional.ofNullable(latest.get(workloadKey(key.kind(), workloadOf(key))));
    }

    /** The last {@code perWorkload} entries of each workload (kind, namespace and name), in their order. */
    public static List<HistoryEntry> newestOfEach(List<HistoryEntry> history, int perWorkload) {
        Map<String, Integer> seen = new HashMap<>();
        List<HistoryEntry> reversed = new ArrayList<>();
        for (int i = history.size() - 1; i >= 0; i--) {
            HistoryEntry h = history.get(i);
            if (seen.merge(workloadKey(h.kind(), h.workload()), 1, Integer::sum) <= perWorkload) {
                reversed.add(h);
            }
        }
        List<HistoryEntry> out = new ArrayList<>(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            out.add(reversed.get(i));
        }
        return out;
    }

    /**
     * The kind of an entry written before entries named their kind (they keyed on "namespace/name" alone): the one
     * workload of a recorded kind with that namespace and name in the app's inventory; Deployment when there is none
     * or more than one (before StatefulSets, DaemonSets and Jobs were followed, every entry was a Deployment's).
     */
    public static String kindOfUnkinded(String workload, List<InventoryEntry> inventory) {
        List<String> kinds = inventory.stream()
                .map(InventoryEntry::key)
                .filter(k -> RECORDED_KINDS.contains(k.kind()) && workloadOf(k).equals(workload))
                .map(ResourceKey::kind)
                .distinct()
                .toList();
        return kinds.size() == 1 ? kinds.get(0) : "Deployment";
    }
}
