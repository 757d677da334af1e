package dev.lockstep.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.MetadataKeys;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A revision made from a Helm chart names the chart's version and values digest in {@code lockstep history}. */
class ChartHistoryTest {

    @Test
    void aRevisionRenderedFromAChartShowsChartAndValuesDigestBesideTheSubject() {
        CommitRef commit = CommitRef.of(Map.of(
                        MetadataKeys.COMMIT, "0123456789abcdef0123456789abcdef01234567",
                        MetadataKeys.COMMIT_SUBJECT, "web: image 2.1",
                        MetadataKeys.RENDERED_BY, "helm chart web-1.0.0 values 1a2b3c4d5e6f"))
                .orElseThrow();

        HistoryRow row = HistoryRow.of(revision(commit));

        assertThat(commit.chart()).contains("chart web-1.0.0, values 1a2b3c4d5e6f");
        assertThat(row.subject()).isEqualTo("web: image 2.1 (chart web-1.0.0, values 1a2b3c4d5e6f)");
    }

    @Test
    void plainFilesAndKustomizeKeepTheSubjectAsItIs() {
        CommitRef kustomized = new CommitRef("0123456789abcdef", "tag", "", "kustomize v5.5.0");

        assertThat(kustomized.chart()).isEmpty();
        assertThat(HistoryRow.of(revision(kustomized)).subject()).isEqualTo("tag");
    }

    private static HistoryRevision revision(CommitRef commit) {
        return new HistoryRevision(
                2,
                List.of(),
                "web-abc",
                true,
                Optional.of(commit),
                Optional.empty(),
                new RevisionResult(Outcome.ROLLED_OUT, "rolled out"),
                Optional.empty(),
                List.of(),
                1,
                Map.of());
    }
}
