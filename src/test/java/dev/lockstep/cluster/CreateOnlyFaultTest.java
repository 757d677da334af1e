package dev.lockstep.cluster;

import static dev.lockstep.testing.MockApiServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.testing.MockApiServer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The create-only apply (one app's create must fail on an object another app created meanwhile) under faults injected
 * at fabric8's mock API server: a server fault is a retryable failure with one request sent, never a second, unguarded
 * plain apply; only a server that refuses the form itself gets the plain apply.
 */
class CreateOnlyFaultTest {
    private static final String APPLY_QUERY = "?fieldManager=" + MetadataKeys.FIELD_MANAGER + "&force=true";

    private MockApiServer api;
    private KubernetesMockServer server;
    private ServerSideApply ssa;

    @BeforeEach
    void start() {
        api = new MockApiServer();
        server = api.server();
        ssa = new ServerSideApply(api.client(), MetadataKeys.FIELD_MANAGER);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aServerFaultOnACreateFailsThePassAndSendsNothingMore() {
        server.expect()
                .patch()
                .withPath("/api/v1/namespaces/shop/configmaps/shared" + APPLY_QUERY)
                .andReturn(500, status(500, "etcdserver: request timed out"))
                .once();

        ClusterException e =
                catchThrowableOfType(ClusterException.class, () -> ssa.create(key("ConfigMap"), body("ConfigMap")));

        assertThat(e.status()).isEqualTo(500);
        assertThat(e.getMessage()).contains("etcdserver: request timed out");
        assertThat(server.getRequestCount()).as("requests sent").isEqualTo(1);
    }

    @Test
    void anObjectCreatedMeanwhileIsAConflictNotOverwritten() {
        server.expect()
                .patch()
                .withPath("/api/v1/namespaces/shop/configmaps/shared" + APPLY_QUERY)
                .andReturn(409, status(409, "the object has been modified"))
                .once();

        ClusterException e =
                catchThrowableOfType(ClusterException.class, () -> ssa.create(key("ConfigMap"), body("ConfigMap")));

        assertThat(e.status()).isEqualTo(409);
        assertThat(e.getMessage()).contains("it exists by now");
        assertThat(server.getRequestCount()).as("requests sent").isEqualTo(1);
    }

    @Test
    void aServiceWhoseStorageRefusesTheFormIsAppliedPlainly() {
        String path = "/api/v1/namespaces/shop/services/shared" + APPLY_QUERY;
        server.expect()
                .patch()
                .withPath(path)
                .andReturn(500, status(500, "An error has occurred"))
                .once();
        server.expect().patch().withPath(path).andReturn(200, body("Service")).once();

        Map<String, Object> applied = ssa.create(key("Service"), body("Service"));

        assertThat(applied).containsEntry("kind", "Service");
        assertThat(server.getRequestCount())
                .as("requests sent: the create-only form, then the plain apply")
                .isEqualTo(2);
    }

    private static ResourceKey key(String kind) {
        return ResourceKey.of("v1", kind, "shop", "shared");
    }

    private static Map<String, Object> body(String kind) {
        return Map.of("apiVersion", "v1", "kind", kind, "metadata", Map.of("name", "shared", "namespace", "shop"));
    }
}
