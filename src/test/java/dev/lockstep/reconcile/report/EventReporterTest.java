package dev.lockstep.reconcile.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cluster.KubeEventPoster;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Events users see, end to end: reporter, poster, and a mock API server (for injecting its failures). */
class EventReporterTest {
    private static final Instant NOW = Instant.parse("2025-03-01T10:15:30.123456789Z");
    private static final Revision V2 = new Revision(
            "abc1234def5678abc1234def5678abc1234def56", "image v2", "image v2\n", "Dev", "dev@example.com", NOW);
    private static final Revision REVERT = new Revision(
            "fedcba9876543210fedcba9876543210fedcba98",
            "Revert \"image v3\"",
            "Revert \"image v3\"\n\nThis reverts commit 123.\n",
            "Dev",
            "dev@example.com",
            NOW);
    private static final ResourceKey DEPLOY = ResourceKey.of("apps/v1", "Deployment", "shop", "hello-app");
    private static final ResourceKey SERVICE = ResourceKey.of("v1", "Service", "shop", "hello-svc");

    private KubernetesMockServer server;
    private KubernetesClient client;
    private KubeEventPoster poster;
    private EventReporter recorder;

    @BeforeEach
    void start() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
        server.init();
        // no client-side retries: a 500 must reach the recorder, not be retried away
        client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl(server.url("/"))
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build();
        poster = new KubeEventPoster(client, Clock.fixed(NOW, ZoneOffset.UTC));
        recorder = new EventReporter(poster, "lockstep");
    }

    @AfterEach
    void stop() {
        poster.close();
        client.close();
        server.destroy();
    }

    private List<Event> events(String namespace) {
        poster.close(); // drains the queue: every posted event has been sent
        return client.v1().events().inNamespace(namespace).list().getItems();
    }

    private static Event only(List<Event> events, String reason) {
        return events.stream()
                .filter(e -> e.getReason().equals(reason))
                .reduce((a, b) -> {
                    throw new AssertionError("two events " + reason);
                })
                .orElseThrow(() -> new AssertionError("no event " + reason + " in " + events));
    }

    private static void assertInvolved(Event e, String apiVersion, String kind, String namespace, String name) {
        ObjectReference o = e.getInvolvedObject();
        assertThat(List.of(o.getApiVersion(), o.getKind(), String.valueOf(o.getNamespace()), o.getName()))
                .containsExactly(apiVersion, kind, String.valueOf(namespace), name);
    }

    @Test
    void appliedAndRolloutEventsLandOnTheirObjects() {
        recorder.applied("hello", DEPLOY, "apps/v1", V2, false);
        recorder.applied("hello", SERVICE, "v1", V2, true);
        recorder.rolloutFinished(
                "hello",
                DEPLOY,
                new RolloutStatus(RolloutState.HEALTHY, "deployment \"hello-app\" successfully rolled out", 2),
                V2);

        List<Event> events = events("shop");

        assertThat(events).hasSize(3);
        Event updated = events.stream()
                .filter(e -> e.getInvolvedObject().getKind().equals("Deployment")
                        && e.getReason().equals("Applied"))
                .findFirst()
                .orElseThrow();
        assertThat(updated.getType()).isEqualTo("Normal");
        assertThat(updated.getMessage()).isEqualTo("updated by commit abc1234 \"image v2\"");
        assertInvolved(updated, "apps/v1", "Deployment", "shop", "hello-app");
        assertThat(updated.getMetadata().getName()).startsWith("hello-app.");
        assertThat(updated.getMetadata().getLabels()).containsEntry("lockstep.dev/app", "hello");
        assertThat(updated.getSource().getComponent()).isEqualTo("lockstep");
        assertThat(updated.getReportingComponent()).isEqualTo("lockstep");
        assertThat(updated.getFirstTimestamp()).isEqualTo("2025-03-01T10:15:30Z");
        assertThat(updated.getLastTimestamp()).isEqualTo("2025-03-01T10:15:30Z");

        Event created = events.stream()
                .filter(e -> e.getInvolvedObject().getKind().equals("Service"))
                .findFirst()
                .orElseThrow();
        assertThat(created.getMessage()).isEqualTo("created by commit abc1234 \"image v2\"");
        assertInvolved(created, "v1", "Service", "shop", "hello-svc");

        Event rollout = only(events, "RolloutSucceeded");
        assertThat(rollout.getType()).isEqualTo("Normal");
        assertThat(rollout.getMessage())
                .isEqualTo(
                        "commit abc1234 \"image v2\": deployment \"hello-app\" successfully rolled out (revision 2)");
        assertInvolved(rollout, "apps/v1", "Deployment", "shop", "hello-app");
    }

    @Test
    void failedRolloutAndRollbackTellTheRevisions() {
        recorder.rolloutFinished(
                "hello",
                DEPLOY,
                new RolloutStatus(RolloutState.FAILED, "deployment \"hello-app\" exceeded its progress deadline", 3),
                V2);
        recorder.rolledBack("hello", DEPLOY, 2, 4, REVERT, true);

        List<Event> events = events("shop");

        Event failed = only(events, "RolloutFailed");
        assertThat(failed.getType()).isEqualTo("Warning");
        assertThat(failed.getMessage())
                .isEqualTo(
                        "commit abc1234 \"image v2\": deployment \"hello-app\" exceeded its progress deadline (revision 3)");
        Event back = only(events, "RolledBack");
        assertThat(back.getType()).isEqualTo("Normal");
        assertThat(back.getMessage())
                .isEqualTo("rolled back to revision 2 (now revision 4) by commit fedcba9 \"Revert \"image v3\"\"");
        assertInvolved(back, "apps/v1", "Deployment", "shop", "hello-app");
    }

    @Test
    void driftNamesTheFieldPath() {
        recorder.applied("hello", SERVICE, "v1", V2, false);
        recorder.drift("hello", SERVICE, "spec.ports[0].port", false);
        recorder.drift("hello", DEPLOY, "spec.replicas", true);

        List<Event> events = events("shop");

        Event detected = only(events, "DriftDetected");
        assertThat(detected.getType()).isEqualTo("Warning");
        assertThat(detected.getMessage())
                .isEqualTo("field spec.ports[0].port differs from git (selfHeal is off: not corrected)");
        assertInvolved(detected, "v1", "Service", "shop", "hello-svc");
        Event corrected = only(events, "DriftCorrected");
        assertThat(corrected.getType()).isEqualTo("Normal");
        assertThat(corrected.getMessage()).isEqualTo("field spec.replicas differed from git: restored git's version");
        assertInvolved(corrected, "apps/v1", "Deployment", "shop", "hello-app");
    }

    @Test
    void pruneRefusedGoesOnTheAppRecord() {
        recorder.pruneRefused("hello", "refusing to prune 5 of 6 objects");

        Event refused = only(events("lockstep"), "PruneRefused");

        assertThat(refused.getType()).isEqualTo("Warning");
        assertThat(refused.getMessage()).isEqualTo("app hello: refusing to prune 5 of 6 objects");
        assertInvolved(refused, "v1", "ConfigMap", "lockstep", "lockstep-app-hello");
    }

    @Test
    void aRejectedCommitIsToldOnTheAppRecordWithItsErrors() {
        recorder.rejected(
                "hello",
                V2,
                List.of(
                        "hook Job hello-migrate (app/templates/migrate.yaml, pre-upgrade) failed: BackoffLimitExceeded"));

        Event rejected = only(events("lockstep"), "CommitRejected");

        assertThat(rejected.getType()).isEqualTo("Warning");
        assertThat(rejected.getMessage())
                .isEqualTo("app hello: commit abc1234 \"image v2\" not applied: hook Job hello-migrate"
                        + " (app/templates/migrate.yaml, pre-upgrade) failed: BackoffLimitExceeded");
        assertInvolved(rejected, "v1", "ConfigMap", "lockstep", "lockstep-app-hello");
    }

    @Test
    void aForbiddenWriteIsToldOnceNotAlsoAsARejectedCommit() {
        List<String> reasons = List.of("serviceaccount shop:deployer cannot create secrets in shop");
        recorder.writeForbidden("hello", V2, reasons);
        recorder.rejected("hello", V2, reasons);

        assertThat(events("lockstep")).extracting(Event::getReason).containsExactly("WriteForbidden");
    }

    @Test
    void clusterScopedObjectsGetTheirEventsInDefault() {
        ResourceKey ns = ResourceKey.of("v1", "Namespace", "", "shop");
        recorder.applied("hello", ns, "v1", V2, true);

        Event e = only(events("default"), "Applied");

        assertInvolved(e, "v1", "Namespace", null, "shop");
    }

    @Test
    void eventsAtTheSameInstantGetDistinctNames() {
        for (int i = 0; i < 5; i++) {
            recorder.drift("hello", DEPLOY, "spec.replicas", true);
        }
        List<Event> events = events("shop");
        assertThat(events).hasSize(5);
        assertThat(events.stream().map(e -> e.getMetadata().getName()).distinct())
                .hasSize(5);
    }

    @Test
    void aFailingApiServerIsSwallowedAndLaterEventsStillGoOut() {
        server.expect()
                .post()
                .withPath("/api/v1/namespaces/shop/events")
                .andReturn(500, "boom")
                .once();

        recorder.applied("hello", DEPLOY, "apps/v1", V2, false); // answered 500
        recorder.applied("hello", SERVICE, "v1", V2, false); // reaches the CRUD store

        List<Event> events = events("shop");
        assertThat(events).singleElement().satisfies(e -> assertInvolved(e, "v1", "Service", "shop", "hello-svc"));
        assertThat(server.getRequestCount()).isGreaterThanOrEqualTo(3); // two posts and the list
    }

    @Test
    void anApiServerThatAlwaysFailsNeverReachesTheCaller() {
        server.expect()
                .post()
                .withPath("/api/v1/namespaces/shop/events")
                .andReturn(500, "boom")
                .always();

        recorder.applied("hello", DEPLOY, "apps/v1", V2, false);
        recorder.rolloutFinished("hello", DEPLOY, new RolloutStatus(RolloutState.FAILED, "deadline", 3), V2);
        poster.close();

        assertThat(server.getRequestCount()).isEqualTo(2);
        recorder.drift("hello", DEPLOY, "spec.replicas", true); // after close: dropped, no exception
    }
}
