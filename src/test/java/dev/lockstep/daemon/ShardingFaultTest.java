package dev.lockstep.daemon;

import static dev.lockstep.testing.MockApiServer.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cluster.ShardLeases;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.MockApiServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A replica whose Lease calls fail keeps looking: it logs which Lease failed, and works once the API server answers. */
class ShardingFaultTest {
    private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/lockstep-system/leases";
    private static final LeaderElection.Timing TIMING =
            new LeaderElection.Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));

    @Test
    void aFailedLookIsLoggedNamingTheLeaseAndTheNextLookTakesTheApp() {
        List<String> gained = new ArrayList<>();
        try (MockApiServer api = new MockApiServer();
                LogCapture log = new LogCapture(Sharding.class)) {
            ShardLeases leases = new ShardLeases(api.client(), "lockstep-system", Clock.systemUTC());
            Sharding sharding = new Sharding(
                    leases, "replica-a", List.of("shop"), TIMING, Clock.systemUTC(), gained::add, app -> {});
            api.server()
                    .expect()
                    .get()
                    .withPath(LEASES + "/lockstep-replica-replica-a")
                    .andReturn(500, status(500, "etcdserver: request timed out"))
                    .once();
            api.server()
                    .expect()
                    .get()
                    .withPath(LEASES + "/lockstep-app-shop")
                    .andReturn(503, status(503, "try later"))
                    .once();

            sharding.tick(); // the replica Lease cannot be read
            for (int i = 0; i < Sharding.WARM_UP_LOOKS; i++) {
                sharding.tick();
            }
            sharding.tick(); // the app's Lease cannot be read
            assertThat(sharding.mayWrite("shop")).isFalse();
            sharding.tick();

            assertThat(sharding.mayWrite("shop")).isTrue();
            assertThat(gained).containsExactly("shop");
            assertThat(leases.holder("shop")).contains("replica-a");
            assertThat(log.lines())
                    .containsSubsequence(
                            "WARN replica-a: cannot renew its replica Lease or list the replicas: cannot renew Lease "
                                    + "lockstep-system/lockstep-replica-replica-a (replica replica-a): HTTP 500: "
                                    + "etcdserver: request timed out",
                            "WARN replica-a: app shop: cannot take, renew or release its Lease: cannot take or renew "
                                    + "Lease lockstep-system/lockstep-app-shop (app shop): HTTP 503: try later");
        }
    }
}
