package dev.lockstep.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.MetadataKeys;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A revision made from a Helm chart names the chart's version and values digest in {@code lockstep history}, from the
 * revision's {@code lockstep.dev/rendered-by} annotation, so a values-only commit is told apart.
 */
class ChartHistoryTest {

    @Test
    void revisionsRenderedFromAChartShowChartVersionAndValuesDigest() {
        HistoryRow v1 = HistoryRow.of(revision(1, "web: chart 1.0.0", "helm chart web-1.0.0 values 1a2b3c4d5e6f"));
        HistoryRow v2 = HistoryRow.of(revision(2, "web: image 2.1", "helm chart web-1.0.0 values 9f8e7d6c5b4a"));

        String table = HistoryTable.render(List.of(v2, v1));

        assertThat(table.lines().toList()).first().asString().contains("RENDERED BY");
        assertThat(table)
                .containsPattern("2 .*web: image 2.1 .*helm chart web-1.0.0 values 9f8e7d6c5b4a")
                .containsPattern("1 .*web: chart 1.0.0 .*helm chart web-1.0.0 values 1a2b3c4d5e6f");
    }

    private static HistoryRevision revision(long number, String subject, String renderedBy) {
        CommitRef commit = CommitRef.of(Map.of(
                        MetadataKeys.COMMIT, "0123456789abcdef0123456789abcdef0123456" + number,
                        MetadataKeys.COMMIT_SUBJECT, subject,
                        MetadataKeys.RENDERED_BY, renderedBy))
                .orElseThrow();
        return new HistoryRevision(
                number,
                List.of(),
                "web-" + number,
                number == 2,
                Optional.of(commit),
                Optional.empty(),
                new RevisionResult(Outcome.ROLLED_OUT, "rolled out"),
                Optional.empty(),
                List.of(),
                1,
                Map.of());
    }
}
