package dev.lockstep.cluster;

import dev.lockstep.model.AppRecord;
import dev.lockstep.model.HistoryEntry;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Which history entries an app's record keeps: the newest of <em>each</em> workload, not the newest of the app. With a
 * cap on the whole app (it was 200), one bulk commit to 5,000 Deployments left 4,800 of them without the entry that
 * {@code lockstep history} reads their result and commit from. A workload keeps at most {@link #PER_WORKLOAD} (a
 * Deployment keeps 10 old ReplicaSets by default, and older entries describe revisions that are gone); when the packed
 * history is over its byte budget, every workload keeps fewer, equally (10, 5, 2, 1), before any loses its newest.
 */
final class RecordHistory {
    /** Entries per workload: revisionHistoryLimit's default of 10 old ReplicaSets, the current one, and some slack. */
    static final int PER_WORKLOAD = AppRecord.HISTORY_PER_WORKLOAD;

    private static final int[] FEWER = {10, 5, 2, 1};

    private RecordHistory() {}

    /**
     * The entries kept, in their order: {@code packedSize} gives the bytes of a list as saved, and the result's is at
     * most {@code budget} (only by dropping the oldest entries of all when even one per workload is over it).
     */
    static List<HistoryEntry> kept(
            List<HistoryEntry> history, Function<List<HistoryEntry>, Integer> packedSize, int budget) {
        return kept(history, h -> h, h -> packedSize.apply(h), budget);
    }

    /**
     * The stored form ({@code store}) of the entries kept: each list tried is stored once, and the one that fits is
     * returned as it was stored, so a save does not serialize (and gzip) the kept history a second time.
     */
    static <T> T kept(
            List<HistoryEntry> history, Function<List<HistoryEntry>, T> store, ToIntFunction<T> size, int budget) {
        List<HistoryEntry> kept = newest(history, PER_WORKLOAD);
        for (int fewer : FEWER) {
            T stored = store.apply(kept);
            if (size.applyAsInt(stored) <= budget) {
                return stored;
            }
            kept = newest(kept, fewer);
        }
        T stored = store.apply(kept);
        while (kept.size() > 1 && size.applyAsInt(stored) > budget) {
            kept = kept.subList(kept.size() / 10 + 1, kept.size()); // the oldest tenth
            stored = store.apply(kept);
        }
        return stored;
    }

    /** The last {@code perWorkload} entries of each workload (kind, namespace and name), in their order. */
    static List<HistoryEntry> newest(List<HistoryEntry> history, int perWorkload) {
        return HistoryEntry.newestOfEach(history, perWorkload);
    }
}
