package dev.lockstep.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Which revision {@code lockstep rollback} picks, as {@code kubectl rollout undo} would. */
class RollbackTargetTest {
    private static ReplicaSetInfo rs(String name, long revision, String history, String commit) {
        Map<String, String> annotations = new HashMap<>();
        if (!history.isEmpty()) {
            annotations.put(MetadataKeys.DEPLOYMENT_REVISION_HISTORY, history);
        }
        if (!commit.isEmpty()) {
            annotations.put(MetadataKeys.COMMIT, commit);
        }
        return new ReplicaSetInfo(name, "uid-" + name, revision, annotations, Map.of(), Instant.EPOCH, 0);
    }

    private static final List<ReplicaSetInfo> SEED =
            List.of(rs("rs-v1", 1, "", "c1"), rs("rs-v2", 2, "", "c2"), rs("rs-v3", 3, "", "c3"));

    @Test
    void withoutARevisionItIsThePreviousOne() {
        assertThat(RollbackTarget.choose(SEED, 3, OptionalLong.empty()))
                .isEqualTo(new RollbackTarget.Choice.Found(SEED.get(1), 2, "c2"));
    }

    @Test
    void aNamedRevisionIsFoundAlsoByItsEarlierNumberAfterReuse() {
        List<ReplicaSetInfo> reused =
                List.of(rs("rs-v1", 1, "", "c1"), rs("rs-v2", 4, "2", "c2"), rs("rs-v3", 3, "", "c3"));

        assertThat(RollbackTarget.choose(SEED, 3, OptionalLong.of(1)))
                .isEqualTo(new RollbackTarget.Choice.Found(SEED.get(0), 1, "c1"));
        assertThat(RollbackTarget.choose(reused, 4, OptionalLong.of(3)))
                .isEqualTo(new RollbackTarget.Choice.Found(reused.get(2), 3, "c3"));
        assertThat(RollbackTarget.choose(reused, 4, OptionalLong.of(2)))
                .isEqualTo(new RollbackTarget.Choice.NotFound("revision 2 is the current one (rs-v2); nothing to do"));
    }

    @Test
    void aMissingOrForeignRevisionIsExplained() {
        assertThat(RollbackTarget.choose(SEED, 3, OptionalLong.of(9)))
                .isEqualTo(
                        new RollbackTarget.Choice.NotFound(
                                "revision 9 not found (its ReplicaSet may have been removed by revisionHistoryLimit); see lockstep history"));
        assertThat(RollbackTarget.choose(
                        List.of(rs("rs-old", 1, "", ""), rs("rs-v2", 2, "", "c2")), 2, OptionalLong.empty()))
                .isEqualTo(new RollbackTarget.Choice.NotFound(
                        "revision 1 (rs-old) was not made by a Lockstep commit: there is no commit to go back to"));
        assertThat(RollbackTarget.choose(List.of(rs("rs-v1", 1, "", "c1")), 1, OptionalLong.empty()))
                .isEqualTo(new RollbackTarget.Choice.NotFound("no revision before 1 to go back to"));
    }
}
