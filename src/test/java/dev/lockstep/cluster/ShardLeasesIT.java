package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The Leases of sharding on a real API server: an app's Lease has one holder at a time, whatever the race. */
@RealCluster
class ShardLeasesIT {
    private static final Duration LEASE = Duration.ofSeconds(15);

    @Test
    void anAppLeaseHasOneHolderUntilReleasedOrExpired(TestCluster cluster) {
        ShardLeases now = new ShardLeases(cluster.client(), cluster.namespace(), Clock.systemUTC());
        assertThat(now.holder("shop")).isEmpty();

        assertThat(now.hold("shop", "replica-a", LEASE).held())
                .as("free: taken")
                .isTrue();
        assertThat(now.hold("shop", "replica-b", LEASE).held())
                .as("held by a: refused")
                .isFalse();
        assertThat(now.hold("shop", "replica-a", LEASE).held()).as("a renews").isTrue();
        assertThat(now.holder("shop")).contains("replica-a");

        now.release("shop", "replica-b"); // not b's: nothing happens
        assertThat(now.holder("shop")).contains("replica-a");
        now.release("shop", "replica-a");
        assertThat(now.holder("shop")).isEmpty();
        assertThat(now.hold("shop", "replica-b", LEASE).held())
                .as("released: b takes it")
                .isTrue();

        // a replica whose clock is a Lease duration ahead sees b's Lease expired, and takes it over
        ShardLeases later = new ShardLeases(
                cluster.client(),
                cluster.namespace(),
                Clock.fixed(Instant.now().plus(LEASE).plusSeconds(1), ZoneOffset.UTC));
        assertThat(later.hold("shop", "replica-c", LEASE).held())
                .as("expired: c takes it")
                .isTrue();
        assertThat(now.holder("shop")).contains("replica-c");
        assertThat(now.hold("shop", "replica-b", LEASE).held())
                .as("b's old term is over")
                .isFalse();
    }

    @Test
    void aPassRequestedByAnotherReplicaReachesTheHolderAtItsNextRenewalWithoutTakingTheLease(TestCluster cluster) {
        ShardLeases leases = new ShardLeases(cluster.client(), cluster.namespace(), Clock.systemUTC());
        assertThat(leases.requestPass("cart", "replica-b")).as("no Lease yet").isFalse();
        assertThat(leases.hold("cart", "replica-a", LEASE).passRequest()).isEmpty();

        assertThat(leases.requestPass("cart", "replica-b")).isTrue();
        ShardLeases.Holding renewed = leases.hold("cart", "replica-a", LEASE);

        assertThat(renewed.held()).isTrue();
        assertThat(renewed.passRequest()).hasValueSatisfying(r -> assertThat(r).endsWith(" by replica-b"));
        assertThat(leases.holder("cart")).contains("replica-a");
        assertThat(cluster.client()
                        .leases()
                        .inNamespace(cluster.namespace())
                        .withName("lockstep-app-cart")
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .as("what kubectl shows on the Lease")
                .containsKey("lockstep.dev/pass-requested");
        assertThat(leases.hold("cart", "replica-b", LEASE).held())
                .as("asking for a pass is not taking the app")
                .isFalse();
    }

    @Test
    void ofEightReplicasRacingForOneFreeLeaseExactlyOneWins(TestCluster cluster) throws Exception {
        ShardLeases leases = new ShardLeases(cluster.client(), cluster.namespace(), Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (String app : List.of("race-1", "race-2", "race-3")) {
                CountDownLatch go = new CountDownLatch(1);
                List<Callable<Boolean>> racers = IntStream.range(0, 8)
                        .<Callable<Boolean>>mapToObj(i -> () -> {
                            go.await();
                            return leases.hold(app, "replica-" + i, LEASE).held();
                        })
                        .toList();
                List<Future<Boolean>> results =
                        racers.stream().map(pool::submit).toList();
                go.countDown();
                long winners = 0;
                for (Future<Boolean> f : results) {
                    winners += f.get() ? 1 : 0;
                }
                assertThat(winners).as("winners of " + app).isEqualTo(1);
                assertThat(leases.holder(app)).isPresent();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void liveReplicasAreThoseThatAnnouncedWithinTheirLeaseAndLeaveRemovesOne(TestCluster cluster) {
        ShardLeases leases = new ShardLeases(cluster.client(), cluster.namespace(), Clock.systemUTC());
        leases.announce("replica-b", LEASE);
        leases.announce("replica-a", LEASE);
        leases.announce("Host_Name.example", LEASE); // not a valid Lease name as it is: hashed
        assertThat(leases.liveReplicas()).containsExactly("Host_Name.example", "replica-a", "replica-b");
        leases.leave("replica-b");
        assertThat(leases.liveReplicas()).containsExactly("Host_Name.example", "replica-a");
        ShardLeases later = new ShardLeases(
                cluster.client(),
                cluster.namespace(),
                Clock.fixed(Instant.now().plus(LEASE).plusSeconds(1), ZoneOffset.UTC));
        assertThat(later.liveReplicas())
                .as("nobody renewed for a Lease duration")
                .isEmpty();
    }
}
