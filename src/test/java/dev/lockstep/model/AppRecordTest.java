package dev.lockstep.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppRecordTest {
    private static HistoryEntry entry(String kind, String workload, long revision) {
        return new HistoryEntry(
                kind,
                workload,
                revision,
                workload + "-" + revision,
                "c" + revision,
                "v" + revision,
                "Ada",
                Instant.EPOCH.plusSeconds(revision),
                "rolled out");
    }

    @Test
    void aRecordRunningForMonthsKeepsTheNewestEntriesOfEachWorkloadInMemoryNotEveryEntryEver() {
        List<HistoryEntry> history = new ArrayList<>();
        history.add(entry("Deployment", "shop/quiet", 1));
        for (long revision = 1; revision <= 500; revision++) { // a busy Deployment, deployed 500 times
            history.add(entry("Deployment", "shop/web", revision));
        }
        history.add(entry("StatefulSet", "shop/web", 7)); // same name, another kind: its own entries

        AppRecord record = AppRecord.EMPTY.withHistory(history);

        assertThat(record.history())
                .filteredOn(h -> h.isOf(ResourceKey.of("apps/v1", "Deployment", "shop", "web")))
                .extracting(HistoryEntry::revision)
                .as("the newest %d, oldest first", AppRecord.HISTORY_PER_WORKLOAD)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(481, 500)
                        .boxed()
                        .toList());
        assertThat(record.history().get(0).workload())
                .as("the quiet one keeps its only entry")
                .isEqualTo("shop/quiet");
        assertThat(record.history().get(record.history().size() - 1).kind()).isEqualTo("StatefulSet");
        assertThat(record.history()).hasSize(AppRecord.HISTORY_PER_WORKLOAD + 2);
    }
}
