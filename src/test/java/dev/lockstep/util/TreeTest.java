package dev.lockstep.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TreeTest {
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    private static final Map<String, Object> DEPLOYMENT = map(
            "metadata", map("name", "web", "generation", 3, "labels", map("app", "web")),
            "spec",
                    map(
                            "replicas",
                            2L,
                            "template",
                            map(
                                    "spec",
                                    map(
                                            "containers",
                                            List.of(
                                                    map("name", "web", "image", "web:1"),
                                                    "not-a-map",
                                                    map("name", "proxy", "image", "envoy:1"))))),
            "status", map("ratio", 0.5));

    // ---- reading ----

    @Test
    void atFollowsMapKeys() {
        assertThat(Tree.at(DEPLOYMENT, "metadata", "name")).contains("web");
        assertThat(Tree.at(DEPLOYMENT)).contains(DEPLOYMENT);
    }

    @Test
    void atIsEmptyWhenAStepIsMissingOrNotAMap() {
        assertThat(Tree.at(DEPLOYMENT, "metadata", "namespace")).isEmpty();
        assertThat(Tree.at(DEPLOYMENT, "nothing", "here")).isEmpty();
        assertThat(Tree.at(DEPLOYMENT, "metadata", "name", "deeper")).isEmpty();
    }

    @Test
    void atTreatsANullValueAsMissing() {
        assertThat(Tree.at(map("metadata", null), "metadata")).isEmpty();
    }

    @Test
    void stringIsEmptyForAValueOfAnotherType() {
        assertThat(Tree.string(DEPLOYMENT, "metadata", "name")).contains("web");
        assertThat(Tree.string(DEPLOYMENT, "metadata", "generation")).isEmpty();
    }

    @Test
    void numberReadsAnyNumberAsLong() {
        assertThat(Tree.number(DEPLOYMENT, "metadata", "generation")).contains(3L);
        assertThat(Tree.number(DEPLOYMENT, "spec", "replicas")).contains(2L);
        assertThat(Tree.number(DEPLOYMENT, "status", "ratio")).contains(0L);
        assertThat(Tree.number(DEPLOYMENT, "metadata", "name")).isEmpty();
    }

    @Test
    void mapIsTheMapAtThePathOrAnEmptyOne() {
        assertThat(Tree.map(DEPLOYMENT, "metadata", "labels")).isEqualTo(Map.of("app", "web"));
        assertThat(Tree.map(DEPLOYMENT, "metadata", "annotations")).isEmpty();
        assertThat(Tree.map(DEPLOYMENT, "metadata", "name")).isEmpty();
    }

    @Test
    void listIsTheListAtThePathOrAnEmptyOne() {
        assertThat(Tree.list(DEPLOYMENT, "spec", "template", "spec", "containers"))
                .hasSize(3);
        assertThat(Tree.list(DEPLOYMENT, "spec", "template", "spec", "initContainers"))
                .isEmpty();
        assertThat(Tree.list(DEPLOYMENT, "metadata")).isEmpty();
    }

    @Test
    void mapsKeepsOnlyTheMapsOfAList() {
        assertThat(Tree.maps(DEPLOYMENT, "spec", "template", "spec", "containers"))
                .extracting(c -> c.get("name"))
                .containsExactly("web", "proxy");
        assertThat(Tree.maps(DEPLOYMENT, "spec", "volumes")).isEmpty();
    }

    // ---- writing ----

    @Test
    void ensureMapCreatesMissingMapsAlongThePath() {
        Map<String, Object> root = new HashMap<>();

        Tree.ensureMap(root, "metadata", "annotations").put("a", "1");

        assertThat(root).isEqualTo(Map.of("metadata", Map.of("annotations", Map.of("a", "1"))));
    }

    @Test
    void ensureMapReturnsAnExistingMapWithItsEntries() {
        Map<String, Object> root = map("metadata", map("labels", map("app", "web")));

        Map<String, Object> labels = Tree.ensureMap(root, "metadata", "labels");
        labels.put("tier", "front");

        assertThat(Tree.map(root, "metadata", "labels")).isEqualTo(Map.of("app", "web", "tier", "front"));
    }

    @Test
    void ensureMapReplacesAValueThatIsNotAMap() {
        Map<String, Object> root = map("metadata", "garbage");

        Tree.ensureMap(root, "metadata").put("name", "web");

        assertThat(root).isEqualTo(Map.of("metadata", Map.of("name", "web")));
    }

    @Test
    void deepCopyIsMutableAndIndependentAtEveryLevel() {
        Map<String, Object> original = Map.of("spec", Map.of("containers", List.of(Map.of("image", "web:1"))));

        Map<String, Object> copy = Tree.deepCopy(original);
        Tree.maps(copy, "spec", "containers").get(0).put("image", "web:2");
        Tree.ensureMap(copy, "spec").put("replicas", 3);

        assertThat(original).isEqualTo(Map.of("spec", Map.of("containers", List.of(Map.of("image", "web:1")))));
        assertThat(Tree.maps(copy, "spec", "containers").get(0)).containsEntry("image", "web:2");
        assertThat(Tree.list(copy, "spec", "containers")).isInstanceOf(ArrayList.class);
    }

    // ---- comparing ----

    @Test
    void sameValueComparesNumbersByValue() {
        assertThat(Tree.sameValue(map("replicas", 2), map("replicas", 2L))).isTrue();
        assertThat(Tree.sameValue(map("cpu", 1), map("cpu", 1.0))).isTrue();
        assertThat(Tree.sameValue(map("cpu", 1), map("cpu", 1.5))).isFalse();
        assertThat(Tree.sameValue(2, "2")).isFalse();
    }

    @Test
    void sameValueTakesAMissingEntryForAnEmptyMapListOrNull() {
        assertThat(Tree.sameValue(map("labels", map()), map())).isTrue();
        assertThat(Tree.sameValue(map(), map("args", List.of()))).isTrue();
        assertThat(Tree.sameValue(map("note", null), map())).isTrue();
        assertThat(Tree.sameValue(null, List.of())).isTrue();
    }

    @Test
    void sameValueDoesNotTakeAnEmptyStringOrZeroForMissing() {
        assertThat(Tree.sameValue(map("note", ""), map())).isFalse();
        assertThat(Tree.sameValue(map("replicas", 0), map())).isFalse();
    }

    @Test
    void sameValueComparesListsInOrder() {
        assertThat(Tree.sameValue(List.of("a", "b"), List.of("a", "b"))).isTrue();
        assertThat(Tree.sameValue(List.of("a", "b"), List.of("b", "a"))).isFalse();
        assertThat(Tree.sameValue(List.of("a"), List.of("a", "b"))).isFalse();
    }

    @Test
    void sameValueIgnoresMapOrderButNotExtraEntries() {
        assertThat(Tree.sameValue(map("a", 1, "b", 2), map("b", 2, "a", 1))).isTrue();
        assertThat(Tree.sameValue(map("a", 1), map("a", 1, "b", 2))).isFalse();
    }

    @Test
    void firstDifferenceIsEmptyForTheSameValue() {
        assertThat(Tree.firstDifference(DEPLOYMENT, Tree.deepCopy(DEPLOYMENT))).isEmpty();
        assertThat(Tree.firstDifference(map("labels", map()), map())).isEmpty();
    }

    @Test
    void firstDifferenceNamesANestedMapKeyWithDots() {
        Map<String, Object> changed = Tree.deepCopy(DEPLOYMENT);
        Tree.ensureMap(changed, "metadata", "labels").put("app", "api");

        assertThat(Tree.firstDifference(DEPLOYMENT, changed)).contains("metadata.labels.app");
    }

    @Test
    void firstDifferenceNamesAListItemByIndex() {
        Map<String, Object> changed = Tree.deepCopy(DEPLOYMENT);
        Tree.maps(changed, "spec", "template", "spec", "containers").get(1).put("image", "envoy:2");

        assertThat(Tree.firstDifference(DEPLOYMENT, changed)).contains("spec.template.spec.containers[2].image");
    }

    @Test
    void firstDifferenceNamesAKeyMissingOnEitherSide() {
        assertThat(Tree.firstDifference(map("spec", map("replicas", 2)), map("spec", map())))
                .contains("spec.replicas");
        assertThat(Tree.firstDifference(map("spec", map()), map("spec", map("paused", true))))
                .contains("spec.paused");
    }

    @Test
    void firstDifferenceNamesAListWhoseLengthChanged() {
        assertThat(Tree.firstDifference(map("args", List.of("a")), map("args", List.of("a", "b"))))
                .contains("args");
    }

    @Test
    void firstDifferenceNamesAValueWhoseTypeChanged() {
        assertThat(Tree.firstDifference(map("spec", map("replicas", 2)), map("spec", "two")))
                .contains("spec");
    }

    @Test
    void firstDifferenceIsTheFirstInTheExpectedOrder() {
        Map<String, Object> expected = map("a", 1, "b", map("c", List.of(1, 2)));
        Map<String, Object> actual = map("b", map("c", List.of(1, 3)), "a", 9);

        assertThat(Tree.firstDifference(expected, actual)).contains("a");
    }

    @Test
    void firstDifferenceOfTwoScalarsIsTheWholeObject() {
        assertThat(Tree.firstDifference("a", "b")).contains("(object)");
    }

    @Test
    void firstDifferenceNeverContainsTheValues() {
        Map<String, Object> expected = map("data", map("password", "czNjcjN0"), "list", Arrays.asList("hunter2"));
        Map<String, Object> actual = map("data", map("password", "bGVha2Vk"), "list", Arrays.asList("hunter2"));

        assertThat(Tree.firstDifference(expected, actual))
                .hasValueSatisfying(path -> assertThat(path)
                        .isEqualTo("data.password")
                        .doesNotContain("czNjcjN0")
                        .doesNotContain("bGVha2Vk"));
    }
}
