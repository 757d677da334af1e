package dev.lockstep.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldsV1Test {
    private static final String PORT_KEY = "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}";

    @Test
    void aListItemsKeysAreReadWithNumbersAndEscapedQuotes() {
        assertThat(FieldsV1.flatJson("{\"containerPort\":8080,\"protocol\":\"TCP\"}"))
                .containsExactly(Map.entry("containerPort", "8080"), Map.entry("protocol", "TCP"));
        assertThat(FieldsV1.flatJson("{\"name\":\"say \\\"hi\\\", then go\"}"))
                .containsExactly(Map.entry("name", "say \"hi\", then go"));
    }

    @Test
    void aKeyedItemAndASetValueAreRemovedFromTheObject() {
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", "web");
        container.put(
                "ports",
                new ArrayList<>(List.of(
                        Map.of("containerPort", 8080, "protocol", "TCP"),
                        Map.of("containerPort", 9090, "protocol", "TCP"))));
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("containers", new ArrayList<>(List.of(container)));
        object.put("finalizers", new ArrayList<>(List.of("a", "b")));

        assertThat(FieldsV1.remove(object, List.of("f:containers", "k:{\"name\":\"web\"}", "f:ports", PORT_KEY)))
                .isTrue();
        assertThat(FieldsV1.remove(object, List.of("f:finalizers", "v:\"a\""))).isTrue();
        assertThat(FieldsV1.remove(object, List.of("f:containers", "k:{\"name\":\"gone\"}", "f:image")))
                .isFalse();

        assertThat(container.get("ports")).isEqualTo(List.of(Map.of("containerPort", 9090, "protocol", "TCP")));
        assertThat(object.get("finalizers")).isEqualTo(List.of("b"));
    }

    @Test
    void ownedPathsAreLeavesAndListItemsButNotAMapsOwnDot() {
        Map<String, Object> fields = Map.of(
                "f:metadata", Map.of("f:labels", Map.of(".", Map.of(), "f:app", Map.of())),
                "f:spec", Map.of("f:ports", Map.of(PORT_KEY, Map.of(".", Map.of(), "f:port", Map.of()))));

        assertThat(FieldsV1.owned(fields))
                .containsExactlyInAnyOrder(
                        List.of("f:metadata", "f:labels", "f:app"),
                        List.of("f:spec", "f:ports", PORT_KEY),
                        List.of("f:spec", "f:ports", PORT_KEY, "f:port"));
        assertThat(FieldsV1.describe(List.of("f:spec", "f:ports", PORT_KEY, "f:port")))
                .isEqualTo("spec.ports[containerPort=8080,protocol=TCP].port");
    }
}
