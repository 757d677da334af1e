package dev.lockstep.plan;

import static dev.lockstep.plan.PlanFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectionTest {
    @Test
    void keepsOnlyTheFieldsTheShapeNamesWithTheLiveValues() {
        Map<String, Object> live = map(
                "metadata",
                map("name", "web", "uid", "u-1", "labels", map("app", "web", "team", "x")),
                "spec",
                map("replicas", 5, "paused", false));
        Map<String, Object> shape =
                map("metadata", map("name", "web", "labels", map("app", "web")), "spec", map("replicas", 2));

        assertThat(Projection.project(live, shape))
                .isEqualTo(
                        map("metadata", map("name", "web", "labels", map("app", "web")), "spec", map("replicas", 5)));
    }

    @Test
    void leavesOutStatusApiVersionAndKindEvenWhenTheShapeHasThem() {
        Map<String, Object> live =
                map("apiVersion", "v1", "kind", "ConfigMap", "data", map("a", "1"), "status", map("x", 1));
        Map<String, Object> shape =
                map("apiVersion", "v1", "kind", "ConfigMap", "data", map("a", "1"), "status", map("x", 0));

        assertThat(Projection.project(live, shape)).isEqualTo(map("data", map("a", "1")));
    }

    @Test
    void projectsListsItemByItem() {
        Map<String, Object> live = map(
                "containers",
                List.of(
                        map("name", "web", "image", "web:2", "imagePullPolicy", "IfNotPresent"),
                        map("name", "proxy", "image", "envoy:1", "terminationMessagePath", "/dev/termination-log")));
        Map<String, Object> shape =
                map("containers", List.of(map("name", "web", "image", "web:1"), map("name", "proxy")));

        assertThat(Projection.project(live, shape))
                .isEqualTo(map("containers", List.of(map("name", "web", "image", "web:2"), map("name", "proxy"))));
    }

    @Test
    void aListOfAnotherLengthIsKeptWholeSoTheDifferenceShows() {
        List<Object> twoContainers =
                List.of(map("name", "web", "image", "web:1"), map("name", "sidecar", "image", "s:1"));
        Map<String, Object> shape = map("containers", List.of(map("name", "web")));

        assertThat(Projection.project(map("containers", twoContainers), shape))
                .isEqualTo(map("containers", twoContainers));
    }

    @Test
    void aFieldMissingFromTheLiveObjectProjectsToNull() {
        Map<String, Object> shape = map("data", map("a", "1", "b", "2"));

        assertThat(Projection.project(map("data", map("a", "1")), shape))
                .isEqualTo(map("data", nullValued("a", "1", "b")));
    }

    @Test
    void aScalarWhereTheShapeHasAMapIsKeptAsItIs() {
        assertThat(Projection.project(map("spec", "oops"), map("spec", map("replicas", 2))))
                .isEqualTo(map("spec", "oops"));
    }

    @Test
    void anExpectationIsTheBodyAndTheServersViewProjectedOntoIt() {
        Map<String, Object> body = map(
                "apiVersion",
                "v1",
                "kind",
                "ConfigMap",
                "metadata",
                map("name", "settings"),
                "data",
                map("mode", "fast"));
        Map<String, Object> server = map(
                "apiVersion",
                "v1",
                "kind",
                "ConfigMap",
                "metadata",
                map("name", "settings", "uid", "u-7", "resourceVersion", "42"),
                "data",
                map("mode", "fast"));

        Expectation expectation = Expectation.of("v1", body, server);

        assertThat(expectation.apiVersion()).isEqualTo("v1");
        assertThat(expectation.body()).isEqualTo(body);
        assertThat(expectation.projection())
                .isEqualTo(map("metadata", map("name", "settings"), "data", map("mode", "fast")));
    }

    /** {@code {k1: v1, k2: null}}: Map.of cannot hold a null value. */
    private static Map<String, Object> nullValued(String k1, Object v1, String k2) {
        Map<String, Object> out = map(k1, v1);
        out.put(k2, null);
        return out;
    }
}
