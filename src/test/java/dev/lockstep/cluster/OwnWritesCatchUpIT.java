package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A pass planned right after its own writes waits for the watch to bring them back (at most a moment), instead of
 * planning on a cache that does not have them yet and giving the pass up as a retry.
 */
@RealCluster
class OwnWritesCatchUpIT {

    @Test
    void aWaitEndsWhenTheWatchDeliversTheWriteAndGivesUpOnlyAfterItsLimit(TestCluster cluster) throws Exception {
        String ns = cluster.namespace();
        try (LiveCache live = new LiveCache(cluster.client(), Duration.ofSeconds(30))) {
            live.watch("v1", "ConfigMap");
            ResourceKey written = ResourceKey.of("v1", "ConfigMap", ns, "written");
            ResourceKey neverWritten = ResourceKey.of("v1", "ConfigMap", ns, "never-written");
            ResourceKey unwatched = ResourceKey.of("v1", "Secret", ns, "unwatched");
            // any version the server gives is at or after 1: each key is pending until its object is seen
            live.expectVersion(written, "1");
            live.expectVersion(neverWritten, "1");
            live.expectVersion(unwatched, "1");
            CompletableFuture<Void> write = CompletableFuture.runAsync(
                    () -> cluster.client()
                            .configMaps()
                            .inNamespace(ns)
                            .resource(new ConfigMapBuilder()
                                    .withNewMetadata()
                                    .withName("written")
                                    .addToLabels(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE)
                                    .endMetadata()
                                    .addToData("k", "v")
                                    .build())
                            .create(),
                    CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS));

            long start = System.nanoTime();
            boolean caughtUp = live.awaitCurrent(List.of(written, unwatched), Duration.ofSeconds(20));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            write.get(20, TimeUnit.SECONDS);

            assertThat(caughtUp).as("the watch delivered the write").isTrue();
            assertThat(waitedMs)
                    .as("it waited for the write, not for its limit")
                    .isBetween(400L, 15_000L);
            assertThat(live.isStale(written)).isFalse();
            // a kind nobody watches never comes back through a watch: not waited for
            assertThat(live.isStale(unwatched)).isTrue();

            start = System.nanoTime();
            assertThat(live.awaitCurrent(List.of(neverWritten), Duration.ofMillis(300)))
                    .isFalse();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 5_000L);
        }
    }
}
