package dev.lockstep.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PackedTreeTest {
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    private static Map<String, Object> deployment(String name) {
        return map(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                map("name", name, "labels", map("app", name, "tier", "wëb ✓")),
                "spec",
                map(
                        "replicas", 2,
                        "selector", map("matchLabels", map("app", name)),
                        "template",
                                map(
                                        "metadata", map("labels", map("app", name)),
                                        "spec",
                                                map(
                                                        "containers",
                                                        List.of(map(
                                                                "name",
                                                                name,
                                                                "image",
                                                                "registry.example/" + name + ":v1",
                                                                "ports",
                                                                List.of(map("containerPort", 3000))))))));
    }

    @Test
    void unpacksTheSameKeysInTheSameOrderWithTheSameValueTypes() {
        List<Object> scalars = Arrays.asList(
                null,
                true,
                false,
                "",
                0,
                -1,
                Integer.MAX_VALUE,
                Integer.MIN_VALUE,
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                3000L,
                0.5,
                -2.5e300,
                Double.NaN,
                1.5f,
                new BigInteger("123456789012345678901234567890"),
                new BigDecimal("-0.000123456789012345678901"));
        Map<String, Object> tree = map("z", 1, "a", scalars, "m", map(), "l", List.of(), "d", deployment("web"));

        Object back = PackedTree.unpack(PackedTree.pack(tree));

        assertThat(back).isEqualTo(tree);
        assertThat(new ArrayList<Object>(((Map<?, ?>) back).keySet())).containsExactly("z", "a", "m", "l", "d");
        List<?> backScalars = (List<?>) ((Map<?, ?>) back).get("a");
        for (int i = 0; i < scalars.size(); i++) {
            Object original = scalars.get(i);
            assertThat(backScalars.get(i) == null ? null : backScalars.get(i).getClass())
                    .as("type of %s", original)
                    .isEqualTo(original == null ? null : original.getClass());
        }
        assertThat(Tree.sameValue(PackedTree.unpackMap(PackedTree.pack(deployment("web"))), deployment("web")))
                .isTrue();
    }

    @Test
    void unpacksFreshMutableCopiesEachTime() {
        byte[] packed = PackedTree.pack(deployment("web"));
        Map<String, Object> first = PackedTree.unpackMap(packed);

        Tree.map(first, "metadata").put("name", "changed");
        Tree.maps(first, "spec", "template", "spec", "containers").get(0).put("image", "other");

        assertThat(PackedTree.unpackMap(packed)).isEqualTo(deployment("web"));
    }

    /** The point of it: its repeated names and the usual keys are written once, under half its compact JSON (407 bytes). */
    @Test
    void aDeploymentPacksIntoFarFewerBytesThanItsJson() {
        byte[] packed = PackedTree.pack(deployment("checkout-service"));

        assertThat(packed.length).isLessThan(407 / 2);
    }

    @Test
    void refusesValuesThatAreNotJsonScalarsSoTheCallerKeepsTheTree() {
        assertThatThrownBy(() -> PackedTree.pack(map("when", new Date(0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.util.Date");
    }
}
