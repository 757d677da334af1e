package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.HistoryEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordHistoryTest {
    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

    private static HistoryEntry entry(String name, long revision) {
        return new HistoryEntry(
                "Deployment",
                "shop/" + name,
                revision,
                name + "-" + revision,
                Long.toHexString(revision).repeat(40).substring(0, 40),
                "Deploy " + name + ":" + revision,
                "Ada",
                AT,
                "rolled out");
    }

    /** Entries of every workload, each budget step: a generous budget counts entries, not bytes. */
    private static List<HistoryEntry> kept(List<HistoryEntry> history, int maxEntries) {
        return RecordHistory.kept(history, List::size, maxEntries);
    }

    @Test
    void aBulkCommitToFiveThousandDeploymentsKeepsAnEntryForEachOfThem() {
        List<HistoryEntry> history = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            history.add(entry("deploy-" + i, 1));
        }

        assertThat(kept(history, 100_000))
                .as("the old cap of 200 for the whole app kept deploy-4800 to deploy-4999 only")
                .containsExactlyElementsOf(history);
    }

    @Test
    void aBusyWorkloadKeepsItsNewestEntriesWithoutPushingOutTheQuietOnes() {
        List<HistoryEntry> history = new ArrayList<>();
        history.add(entry("quiet", 1));
        for (int r = 1; r <= 50; r++) {
            history.add(entry("busy", r));
        }

        List<HistoryEntry> kept = kept(history, 100_000);

        assertThat(kept).first().isEqualTo(entry("quiet", 1));
        assertThat(kept.subList(1, kept.size()))
                .as("the busy Deployment's newest, in order")
                .containsExactlyElementsOf(history.subList(51 - RecordHistory.PER_WORKLOAD, 51));
    }

    @Test
    void overItsBudgetEveryWorkloadKeepsFewerButItsNewest() {
        List<HistoryEntry> history = new ArrayList<>();
        for (int r = 1; r <= 12; r++) {
            for (int i = 0; i < 100; i++) {
                history.add(entry("deploy-" + i, r));
            }
        }

        List<HistoryEntry> kept = kept(history, 250);

        assertThat(kept).hasSize(200).allSatisfy(h -> assertThat(h.revision()).isGreaterThan(10));
        assertThat(kept.stream().map(HistoryEntry::workload).distinct()).hasSize(100);
    }

    @Test
    void evenOneEntryPerWorkloadOverTheBudgetDropsTheOldestWorkloadsEntries() {
        List<HistoryEntry> history = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            history.add(entry("deploy-" + i, 1));
        }

        List<HistoryEntry> kept = kept(history, 500);

        assertThat(kept).hasSizeLessThanOrEqualTo(500).last().isEqualTo(entry("deploy-999", 1));
    }
}
