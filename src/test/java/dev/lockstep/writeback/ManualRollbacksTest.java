package dev.lockstep.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.ControllerRevisionInfo;
import dev.lockstep.model.MetadataKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code kubectl rollout undo daemonset/x}: the live template is an older ControllerRevision's, made by another commit. */
class ManualRollbacksTest {
    private static final String V1 = "1".repeat(40);
    private static final String V2 = "2".repeat(40);

    private static Map<String, Object> template(String image) {
        return Map.of("spec", Map.of("containers", List.of(Map.of("name", "agent", "image", image))));
    }

    private static ControllerRevisionInfo cr(String name, long revision, String commit, String image) {
        return new ControllerRevisionInfo(
                name, name, revision, Map.of(MetadataKeys.COMMIT, commit), template(image), Instant.EPOCH);
    }

    /** The DaemonSet as kubectl leaves it: v1's template, still the annotations of the apply of v2. */
    private static Map<String, Object> undone(String image) {
        return Map.of(
                "metadata",
                Map.of("name", "agent", "annotations", Map.of(MetadataKeys.COMMIT, V2)),
                "spec",
                Map.of("template", template(image)));
    }

    @Test
    void beforeTheControllerReusesTheRevisionItsRollbackRevisionIsTheNextNumber() {
        var found = ManualRollbacks.findControllerRevision(
                undone("agent:v1"), List.of(cr("agent-a", 1, V1, "agent:v1"), cr("agent-b", 2, V2, "agent:v2")));

        assertThat(found).hasValueSatisfying(m -> {
            assertThat(m.commit()).isEqualTo(V1);
            assertThat(m.target()).isEqualTo("the revision of commit 1111111");
            assertThat(m.rollBackTo().name()).isEqualTo("agent-a");
            assertThat(m.rollBackTo().revision()).isEqualTo(3);
        });
    }

    @Test
    void afterTheControllerReusedItTheRevisionIsTheOneItGave() {
        var found = ManualRollbacks.findControllerRevision(
                undone("agent:v1"), List.of(cr("agent-b", 2, V2, "agent:v2"), cr("agent-a", 3, V1, "agent:v1")));

        assertThat(found).hasValueSatisfying(m -> {
            assertThat(m.commit()).isEqualTo(V1);
            assertThat(m.rollBackTo().revision()).isEqualTo(3);
        });
    }

    @Test
    void aTemplateNoRevisionHadOrOneNotMadeByLockstepIsOrdinaryDrift() {
        List<ControllerRevisionInfo> owned =
                List.of(cr("agent-a", 1, "", "agent:v1"), cr("agent-b", 2, V2, "agent:v2"));

        assertThat(ManualRollbacks.findControllerRevision(undone("agent:new"), owned))
                .isEmpty();
        assertThat(ManualRollbacks.findControllerRevision(undone("agent:v1"), owned))
                .as("revision 1 names no commit")
                .isEmpty();
    }
}
