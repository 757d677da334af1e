package dev.lockstep.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RendezvousTest {
    private static final List<String> APPS =
            IntStream.range(0, 300).mapToObj(i -> "app-" + i).toList();

    @Test
    void everyReplicaComputesTheSameOwnerWhateverTheOrderOfTheList() {
        for (String app : APPS) {
            assertThat(Rendezvous.owner(app, List.of("a", "b", "c")))
                    .isEqualTo(Rendezvous.owner(app, List.of("c", "a", "b")));
        }
        assertThat(Rendezvous.owner("app-1", List.of())).isEmpty();
    }

    @Test
    void appsAreSpreadOverTheReplicas() {
        Map<String, Integer> counts = new HashMap<>();
        APPS.forEach(app ->
                counts.merge(Rendezvous.owner(app, List.of("a", "b", "c")).orElseThrow(), 1, Integer::sum));
        assertThat(counts).containsOnlyKeys("a", "b", "c");
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(70, 130));
    }

    @Test
    void aReplicaLeavingMovesOnlyItsOwnAppsAndAJoiningOneTakesOnlyItsShare() {
        List<String> three = List.of("a", "b", "c");
        List<String> two = List.of("a", "c");
        List<String> four = List.of("a", "b", "c", "d");
        int movedToD = 0;
        for (String app : APPS) {
            String before = Rendezvous.owner(app, three).orElseThrow();
            String afterLeave = Rendezvous.owner(app, two).orElseThrow();
            if (!before.equals("b")) {
                assertThat(afterLeave).as(app + " stays where it was").isEqualTo(before);
            }
            String afterJoin = Rendezvous.owner(app, four).orElseThrow();
            if (!afterJoin.equals("d")) {
                assertThat(afterJoin).as(app + " moves only to the new replica").isEqualTo(before);
            } else {
                movedToD++;
            }
        }
        assertThat(movedToD).as("about a quarter of the apps").isBetween(45, 105);
    }
}
