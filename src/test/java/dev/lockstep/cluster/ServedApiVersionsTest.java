package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.manifest.KindScopes;
import dev.lockstep.testing.MockApiServer;
import dev.lockstep.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a chart's {@code .Capabilities.APIVersions} is made of, with faults a real server cannot produce on demand: an
 * aggregated API that is down, and discovery failing altogether. The real server's list is checked in
 * {@link ServedApiVersionsIT}.
 */
class ServedApiVersionsTest {
    private static final String GROUPS = """
            {"kind":"APIGroupList","apiVersion":"v1","groups":[
              {"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],
               "preferredVersion":{"groupVersion":"apps/v1","version":"v1"}},
              {"name":"metrics.k8s.io","versions":[{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}],
               "preferredVersion":{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}}]}""";
    private static final String CORE = """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
              {"name":"pods","namespaced":true,"kind":"Pod","verbs":["get"]}]}""";
    private static final String APPS = """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[
              {"name":"deployments","namespaced":true,"kind":"Deployment","verbs":["get"]},
              {"name":"deployments/scale","namespaced":true,"group":"autoscaling","version":"v1","kind":"Scale",
               "verbs":["get"]}]}""";

    private MockApiServer api;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T20:00:00Z"));

    @BeforeEach
    void start() {
        api = new MockApiServer();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void anAggregatedApiThatIsDownKeepsItsGroupVersionButListsNoKinds() {
        serve();
        api.server()
                .expect()
                .get()
                .withPath("/apis/metrics.k8s.io/v1beta1")
                .andReturn(503, "unavailable")
                .always();

        DiscoveredKindScopes discovery = new DiscoveredKindScopes(api.client(), KindScopes.builtIn(), clock);

        assertThat(discovery.servedApiVersions())
                .containsExactly(
                        "apps/v1", "apps/v1/Deployment", "apps/v1/Scale", "metrics.k8s.io/v1beta1", "v1", "v1/Pod");
    }

    @Test
    void oneDiscoveryWalkServesAMinuteOfRenders() {
        serve();
        api.server()
                .expect()
                .get()
                .withPath("/apis/metrics.k8s.io/v1beta1")
                .andReturn(503, "unavailable")
                .always();
        DiscoveredKindScopes discovery = new DiscoveredKindScopes(api.client(), KindScopes.builtIn(), clock);
        discovery.servedApiVersions();
        int afterFirst = api.server().getRequestCount();

        clock.advance(Duration.ofSeconds(59));
        discovery.servedApiVersions();
        assertThat(api.server().getRequestCount()).isEqualTo(afterFirst);

        clock.advance(Duration.ofSeconds(1));
        discovery.servedApiVersions();
        assertThat(api.server().getRequestCount()).isEqualTo(afterFirst * 2);
    }

    @Test
    void whenDiscoveryFailsTheListIsEmptySoTheChartSeesHelmsOwn() {
        api.server()
                .expect()
                .get()
                .withPath("/apis")
                .andReturn(500, "etcd down")
                .always();

        DiscoveredKindScopes discovery = new DiscoveredKindScopes(api.client(), KindScopes.builtIn(), clock);

        assertThat(discovery.servedApiVersions()).isEmpty();
    }

    private void serve() {
        api.server().expect().get().withPath("/apis").andReturn(200, GROUPS).always();
        api.server().expect().get().withPath("/api/v1").andReturn(200, CORE).always();
        api.server()
                .expect()
                .get()
                .withPath("/apis/apps/v1")
                .andReturn(200, APPS)
                .always();
    }
}
