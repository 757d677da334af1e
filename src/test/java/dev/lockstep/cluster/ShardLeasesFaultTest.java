package dev.lockstep.cluster;

import static dev.lockstep.testing.MockApiServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lockstep.testing.MockApiServer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every failure of a sharding Lease call, injected at fabric8's mock API server (a real one cannot fail on demand), is
 * a {@link ShardLeaseException}: retryable, naming the Lease and what the server said, never a raw fabric8 exception.
 */
class ShardLeasesFaultTest {
    private static final String NS = "lockstep-system";
    private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases";
    private static final Duration LEASE = Duration.ofSeconds(15);

    private MockApiServer api;
    private KubernetesMockServer server;
    private ShardLeases leases;

    @BeforeEach
    void start() {
        api = new MockApiServer();
        server = api.server();
        leases = new ShardLeases(api.client(), NS, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aFailedReadOfTheReplicaLeaseWhileAnnouncingNamesTheLeaseAndIsRetryable() {
        server.expect()
                .get()
                .withPath(LEASES + "/lockstep-replica-replica-a")
                .andReturn(500, status(500, "etcdserver: request timed out"))
                .once();

        ShardLeaseException e =
                catchThrowableOfType(ShardLeaseException.class, () -> leases.announce("replica-a", LEASE));

        assertThat(e.getMessage())
                .isEqualTo("cannot renew Lease lockstep-system/lockstep-replica-replica-a (replica replica-a): "
                        + "HTTP 500: etcdserver: request timed out");
        assertThat(e.lease()).isEqualTo("lockstep-system/lockstep-replica-replica-a");
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.retryable()).isTrue();

        // the next look works again
        leases.announce("replica-a", LEASE);
        assertThat(leases.liveReplicas()).containsExactly("replica-a");
    }

    @Test
    void aRefusedRenewalOfTheReplicaLeaseNamesIt() {
        leases.announce("replica-a", LEASE);
        server.expect()
                .put()
                .withPath(LEASES + "/lockstep-replica-replica-a")
                .andReturn(409, status(409, "the object has been modified"))
                .once();

        ShardLeaseException e =
                catchThrowableOfType(ShardLeaseException.class, () -> leases.announce("replica-a", LEASE));

        assertThat(e.getMessage())
                .isEqualTo("cannot renew Lease lockstep-system/lockstep-replica-replica-a (replica replica-a): "
                        + "HTTP 409: the object has been modified");
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void aFailedListOfTheReplicasNamesTheLabelAndNamespace() {
        server.expect()
                .get()
                .withPath(LEASES + "?labelSelector=lockstep.dev%2Frole%3Dreplica")
                .andReturn(503, status(503, "the server is currently unable to handle the request"))
                .once();

        ShardLeaseException e = catchThrowableOfType(ShardLeaseException.class, () -> leases.liveReplicas());

        assertThat(e.getMessage())
                .isEqualTo("cannot list the replica Leases (label lockstep.dev/role=replica) in namespace "
                        + "lockstep-system: HTTP 503: the server is currently unable to handle the request");
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void eachAppLeaseCallNamesTheAppsLeaseEvenWhenForbidden() {
        assertThat(leases.hold("shop", "replica-a", LEASE).held()).isTrue();
        String forbidden = "leases.coordination.k8s.io \"lockstep-app-shop\" is forbidden";

        server.expect()
                .get()
                .withPath(LEASES + "/lockstep-app-shop")
                .andReturn(403, status(403, forbidden))
                .times(3);
        ShardLeaseException onHold =
                catchThrowableOfType(ShardLeaseException.class, () -> leases.hold("shop", "replica-a", LEASE));
        ShardLeaseException onHolder = catchThrowableOfType(ShardLeaseException.class, () -> leases.holder("shop"));
        ShardLeaseException onRelease =
                catchThrowableOfType(ShardLeaseException.class, () -> leases.release("shop", "replica-a"));

        assertThat(onHold.getMessage())
                .isEqualTo("cannot take or renew Lease lockstep-system/lockstep-app-shop (app shop): HTTP 403: "
                        + forbidden);
        assertThat(onHolder.getMessage())
                .isEqualTo("cannot read Lease lockstep-system/lockstep-app-shop (app shop): HTTP 403: " + forbidden);
        assertThat(onRelease.getMessage())
                .isEqualTo("cannot release Lease lockstep-system/lockstep-app-shop (app shop): HTTP 403: " + forbidden);
        // a Lease call is a read or a compare-and-swap: retrying is safe, and RBAC fixed at runtime is picked up
        assertThat(java.util.List.of(onHold, onHolder, onRelease)).allMatch(ShardLeaseException::retryable);
        assertThat(leases.holder("shop")).contains("replica-a");
    }

    @Test
    void aRenewalThatConflictsWithAnotherReplicasPassRequestIsRetriedAndKeepsTheApp() {
        assertThat(leases.hold("shop", "replica-a", LEASE).held()).isTrue();
        assertThat(leases.requestPass("shop", "replica-b")).isTrue();
        // the annotation was written between this replica's read and its update
        server.expect()
                .put()
                .withPath(LEASES + "/lockstep-app-shop")
                .andReturn(409, status(409, "the object has been modified"))
                .once();

        ShardLeases.Holding renewed = leases.hold("shop", "replica-a", LEASE);

        assertThat(renewed.held()).isTrue();
        assertThat(renewed.passRequest()).hasValueSatisfying(r -> assertThat(r).endsWith(" by replica-b"));
        assertThat(leases.holder("shop")).contains("replica-a");
    }

    @Test
    void aFailedPassRequestNamesTheLease() {
        assertThat(leases.requestPass("shop", "replica-b"))
                .as("no Lease yet: nobody to ask")
                .isFalse();
        leases.hold("shop", "replica-a", LEASE);
        server.expect()
                .patch()
                .withPath(LEASES + "/lockstep-app-shop")
                .andReturn(500, status(500, "boom"))
                .once();

        ShardLeaseException e =
                catchThrowableOfType(ShardLeaseException.class, () -> leases.requestPass("shop", "replica-b"));

        assertThat(e.getMessage())
                .isEqualTo("cannot request a pass through Lease lockstep-system/lockstep-app-shop (app shop): "
                        + "HTTP 500: boom");
    }

    @Test
    void noAnswerAtAllIsRetryableWithStatusZero() {
        server.destroy();

        ShardLeaseException e =
                catchThrowableOfType(ShardLeaseException.class, () -> leases.announce("replica-a", LEASE));

        assertThat(e.getMessage())
                .startsWith("cannot renew Lease lockstep-system/lockstep-replica-replica-a (replica replica-a): "
                        + "no answer from the API server (");
        assertThat(e.status()).isZero();
        assertThat(e.retryable()).isTrue();
    }
}
