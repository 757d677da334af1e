package dev.lockstep.reconcile.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.model.AppRecord;
import dev.lockstep.model.HistoryEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica that may write again after a time without that right (a new leadership term, a retaken app Lease) works
 * from the cluster's record, not from what it held before: another replica may have worked meanwhile.
 */
class WriteTermTest {
    @TempDir
    Path tmp;

    @Test
    void theFirstPassOfANewTermKeepsWhatAnotherReplicaRecordedMeanwhile() {
        try (PassFixture f = new PassFixture(tmp)) {
            String v1 = f.commitApp("hello:v1", "hello-app v1");
            AtomicBoolean mayWrite = new AtomicBoolean(true);
            AtomicLong term = new AtomicLong(1);
            try (ReconcileLoop loop = new ReconcileLoop(
                    List.of(f.reconciler()), new Random(7), app -> mayWrite.get(), app -> term.get())) {
                loop.start();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> commitInCluster(f).equals(v1));

                // This replica loses the right to write; another one records its own rollout meanwhile ...
                mayWrite.set(false);
                AppRecord before = f.cluster.record("hello").orElseThrow();
                List<HistoryEntry> history = new ArrayList<>(before.history());
                history.add(new HistoryEntry(
                        "Deployment",
                        PassFixture.NS + "/hello-app",
                        2,
                        "hello-app-b",
                        "b".repeat(40),
                        "applied by replica B",
                        "Bea",
                        PassFixture.NOW,
                        "rolled out"));
                f.cluster.save("hello", before.withHistory(history));
                // ... and a new commit arrives
                String v3 = f.commitApp("hello:v3", "hello-app v3");

                // When this replica may write again, in a new term
                term.set(2);
                mayWrite.set(true);
                loop.trigger("hello");

                // Then it applies v3 on top of the record as the cluster has it
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> commitInCluster(f).equals(v3));
                assertThat(f.cluster.record("hello").orElseThrow().history())
                        .extracting(HistoryEntry::subject)
                        .contains("applied by replica B");
            }
        }
    }

    private static String commitInCluster(PassFixture f) {
        return f.cluster.record("hello").map(AppRecord::commit).orElse("");
    }
}
