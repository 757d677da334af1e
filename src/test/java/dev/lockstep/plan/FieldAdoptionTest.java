package dev.lockstep.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.util.Tree;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FieldAdoptionTest {
    private static final Instant NOW = Instant.parse("2026-11-27T01:00:00Z");
    private static final String CSA = "kubectl-client-side-apply";

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], kv[i + 1]);
        }
        return out;
    }

    private static Map<String, Object> entry(String manager, String operation, Map<String, Object> fields) {
        return map("manager", manager, "operation", operation, "apiVersion", "apps/v1", "fieldsV1", fields);
    }

    /** A Deployment kubectl applied (label legacy, env LEGACY_FLAG, replicas) and an HPA-less controller status. */
    private static Map<String, Object> live(List<Map<String, Object>> managedFields) {
        return map(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                map(
                        "name",
                        "web",
                        "resourceVersion",
                        "42",
                        "labels",
                        map("app", "web", "legacy", "true"),
                        "managedFields",
                        managedFields),
                "spec",
                map(
                        "replicas",
                        3,
                        "template",
                        map(
                                "spec",
                                map(
                                        "containers",
                                        List.of(map(
                                                "name",
                                                "web",
                                                "image",
                                                "web:1",
                                                "env",
                                                List.of(map("name", "LEGACY_FLAG", "value", "on"))))))));
    }

    private static Map<String, Object> csaFields() {
        return map(
                "f:metadata",
                map("f:labels", map(".", map(), "f:app", map(), "f:legacy", map())),
                "f:spec",
                map(
                        "f:replicas",
                        map(),
                        "f:template",
                        map(
                                "f:spec",
                                map(
                                        "f:containers",
                                        map(
                                                "k:{\"name\":\"web\"}",
                                                map(
                                                        ".",
                                                        map(),
                                                        "f:image",
                                                        map(),
                                                        "f:env",
                                                        map(
                                                                ".",
                                                                map(),
                                                                "k:{\"name\":\"LEGACY_FLAG\"}",
                                                                map(
                                                                        ".", map(), "f:name", map(), "f:value",
                                                                        map()))))))));
    }

    @Test
    void kubectlsFieldsMoveIntoLockstepsApplyEntryAndItsOwnEntryGoes() {
        Map<String, Object> object = live(List.of(
                entry(CSA, "Update", csaFields()),
                entry("kube-controller-manager", "Update", map("f:status", map("f:replicas", map())))));

        FieldAdoption.Takeover t = FieldAdoption.DEFAULT
                .takeover(object, map("spec", map("replicas", 3)), "lockstep", NOW)
                .orElseThrow();

        assertThat(t.from()).containsExactly(CSA);
        assertThat(t.resourceVersion()).isEqualTo("42");
        assertThat(t.managedFields())
                .extracting(e -> e.get("manager") + "/" + e.get("operation"))
                .containsExactly("kube-controller-manager/Update", "lockstep/Apply");
        assertThat(t.adopted())
                .contains(
                        List.of("f:metadata", "f:labels", "f:legacy"),
                        List.of(
                                "f:spec",
                                "f:template",
                                "f:spec",
                                "f:containers",
                                "k:{\"name\":\"web\"}",
                                "f:env",
                                "k:{\"name\":\"LEGACY_FLAG\"}"));
    }

    @Test
    void whatLockstepDoesNotSetIsGoneFromThePredictionAndNamedReadably() {
        Map<String, Object> object = live(List.of(entry(CSA, "Update", csaFields())));
        FieldAdoption.Takeover t = FieldAdoption.DEFAULT
                .takeover(object, map("spec", map("replicas", 3)), "lockstep", NOW)
                .orElseThrow();
        Map<String, Object> predicted = Tree.deepCopy(object);
        Tree.ensureMap(predicted, "metadata")
                .put(
                        "managedFields",
                        List.of(entry(
                                "lockstep",
                                "Apply",
                                map(
                                        "f:metadata",
                                        map("f:labels", map("f:app", map())),
                                        "f:spec",
                                        map(
                                                "f:replicas",
                                                map(),
                                                "f:template",
                                                map(
                                                        "f:spec",
                                                        map(
                                                                "f:containers",
                                                                map(
                                                                        "k:{\"name\":\"web\"}",
                                                                        map(".", map(), "f:image", map())))))))));

        Map<String, Object> after = t.withoutAdoptedOnly(predicted, "lockstep");

        assertThat(Tree.map(after, "metadata", "labels")).containsOnlyKeys("app");
        Map<String, Object> container =
                Tree.maps(after, "spec", "template", "spec", "containers").get(0);
        assertThat(container).containsEntry("image", "web:1");
        assertThat(Tree.list(container, "env")).isEmpty();
        assertThat(t.removed(predicted, after))
                .containsExactly(
                        "metadata.labels.legacy", "spec.template.spec.containers[name=web].env[name=LEGACY_FLAG]");
    }

    @Test
    void replicasStayWithTheirManagerWhenTheApplyLeavesThemToAnHpa() {
        Map<String, Object> object = live(List.of(entry(CSA, "Update", csaFields())));

        FieldAdoption.Takeover t =
                FieldAdoption.DEFAULT.takeover(object, map(), "lockstep", NOW).orElseThrow();

        assertThat(t.adopted()).doesNotContain(List.of("f:spec", "f:replicas"));
        assertThat(t.managedFields())
                .filteredOn(e -> CSA.equals(e.get("manager")))
                .singleElement()
                .satisfies(e ->
                        assertThat(e.get("fieldsV1")).isEqualTo(Map.of("f:spec", Map.of("f:replicas", Map.of()))));
    }

    @Test
    void aListedManagerHoldingFieldsAgainIsNamedButNotForReplicasLeftToAnHpa() {
        Map<String, Object> again = live(List.of(entry(CSA, "Update", csaFields())));
        Map<String, Object> replicasOnly = live(List.of(entry(CSA, "Update", map("f:spec", map("f:replicas", map())))));

        assertThat(FieldAdoption.DEFAULT.holders(again, map())).hasValue(CSA);
        assertThat(FieldAdoption.DEFAULT.holders(replicasOnly, map())).isEmpty();
        assertThat(FieldAdoption.DEFAULT.takeover(replicasOnly, map(), "lockstep", NOW))
                .isEmpty();
        assertThat(FieldAdoption.DEFAULT.holders(replicasOnly, map("spec", map("replicas", 3))))
                .hasValue(CSA);
    }

    @Test
    void managersNotListedAreLeftAloneAndAConfiguredOneIsTakenOver() {
        Map<String, Object> object = live(List.of(
                entry("argocd-controller", "Update", map("f:metadata", map("f:labels", map("f:legacy", map())))),
                entry("kube-controller-manager", "Update", map("f:spec", map("f:replicas", map())))));

        assertThat(FieldAdoption.DEFAULT.takeover(object, map(), "lockstep", NOW))
                .isEmpty();
        assertThat(FieldAdoption.withExtra(Set.of("argocd-controller"))
                        .takeover(object, map(), "lockstep", NOW)
                        .orElseThrow()
                        .from())
                .containsExactly("argocd-controller");
    }
}
