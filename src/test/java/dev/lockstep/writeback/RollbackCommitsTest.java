package dev.lockstep.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.git.CommitWriter;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.SourceFile;
import dev.lockstep.model.WriteBackTrailers;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.HelloApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit that brings a Deployment back to an older template, and how a manual rollback is recognised. */
class RollbackCommitsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    private static final ResourceKey DEPLOYMENT = ResourceKey.of("apps/v1", "Deployment", "hello", "hello-app");

    @TempDir
    Path tmp;

    private GitRepoFixture person;
    private String remote;
    private GitSource git;
    private RollbackCommits commits;

    @BeforeEach
    void setUp() {
        remote = GitRepoFixture.bareRemote(tmp.resolve("remote.git"));
        person = GitRepoFixture.create(tmp.resolve("person"));
        git = new GitSource(new RepoSpec(remote, "main"), tmp.resolve("cache"));
        commits = new RollbackCommits(
                git, new CommitWriter(git, "Lockstep", "lockstep@example.com", Optional.empty(), CLOCK), "app");
    }

    @AfterEach
    void tearDown() {
        git.close();
        person.close();
    }

    private String push(String image, String message) {
        person.write("app/deployment.yaml", HelloApp.deployment(image));
        String sha = person.commit(message);
        person.push(remote);
        return sha;
    }

    private String deploymentAt(String commit) throws Exception {
        List<SourceFile> files = git.readPath(commit, "app").orElseThrow();
        return files.stream()
                .filter(f -> f.path().equals("app/deployment.yaml"))
                .map(f -> new String(f.content(), StandardCharsets.UTF_8))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theCommitsSinceTheTargetAreRevertedIntoOneCommit() throws Exception {
        push("hello:v1", "hello-app v1");
        String v2 = push("hello:v2", "image v2");
        String v3 = push("hello:v3", "image v3");
        person.write("app/extra.yaml", HelloApp.configMap("extra", "1"));
        String extra = person.commit("add extra");
        person.push(remote);
        String head = git.fetch().commit();

        RollbackCommit made = commits.build(
                head,
                v2,
                DEPLOYMENT,
                "rolled back by hand to revision 2 (kubectl rollout " + "undo)",
                "record-manual-rollback",
                "hello");

        RollbackCommit.Ready ready = (RollbackCommit.Ready) made;
        assertThat(deploymentAt(ready.commit())).isEqualTo(deploymentAt(v2));
        Revision commit = git.revision(ready.commit());
        assertThat(commit.subject()).isEqualTo("Revert 2 commits, back to " + v2.substring(0, 7) + " \"image v2\"");
        assertThat(commit.message())
                .contains("This reverts commit " + extra + ".\nThis reverts commit " + v3 + ".\n")
                .contains(
                        "Deployment hello/hello-app rolled back by hand to revision 2 (kubectl rollout undo): this commit "
                                + "makes git say what the cluster runs.");
        assertThat(WriteBackTrailers.in(commit.message())).containsEntry("Lockstep-Action", "record-manual-rollback");
        assertThat(ready.base()).isEqualTo(head);
        assertThat(git.remoteHead()).as("nothing pushed yet").isEqualTo(head);
    }

    @Test
    void whenTheRevertsDoNotApplyTheDeploymentsFileIsRestored() throws Exception {
        push("hello:v1", "hello-app v1");
        String v2 = push("hello:v2", "image v2");
        String merge = person.mergeFromSideBranch("app/deployment.yaml", HelloApp.deployment("hello:v3"), "Merge v3");
        person.push(remote);
        person.write("app/service.yaml", HelloApp.service(0));
        person.commit("add the service");
        person.push(remote);
        String head = git.fetch().commit();

        assertThat(deploymentAt(merge))
                .as("the merged file differs from v2's, so a restore has work to do")
                .isNotEqualTo(deploymentAt(v2));

        RollbackCommit.Ready ready =
                (RollbackCommit.Ready) commits.build(head, v2, DEPLOYMENT, "rolled back", "rollback", "hello");

        assertThat(deploymentAt(ready.commit())).isEqualTo(deploymentAt(v2));
        assertThat(git.readPath(ready.commit(), "app").orElseThrow())
                .extracting(SourceFile::path)
                .contains("app/service.yaml");
        assertThat(git.revision(ready.commit()).subject())
                .isEqualTo("Restore app/deployment.yaml as of " + v2.substring(0, 7) + " \"image v2\"");
    }

    @Test
    void aTargetOutsideTheBranchIsImpossibleAndTheHeadItselfIsUnneeded() throws Exception {
        push("hello:v1", "hello-app v1");
        String head = push("hello:v2", "image v2");
        git.fetch();

        assertThat(commits.build(head, "f".repeat(40), DEPLOYMENT, "x", "rollback", "hello"))
                .isInstanceOf(RollbackCommit.Impossible.class);
        assertThat(commits.build(head, head, DEPLOYMENT, "x", "rollback", "hello"))
                .isInstanceOf(RollbackCommit.Unneeded.class);
    }

    @Test
    void aManualRollbackIsALiveTemplateEqualToAnOlderReplicaSetThatACommitMade() {
        Map<String, Object> v2Template = Map.of("spec", Map.of("containers", List.of(Map.of("image", "hello:v2"))));
        Map<String, Object> v3Template = Map.of("spec", Map.of("containers", List.of(Map.of("image", "hello:v3"))));
        ReplicaSetInfo v2Reused = rs("rs-v2", 4, "2", "c2", v2Template);
        ReplicaSetInfo v3 = rs("rs-v3", 3, "", "c3", v3Template);
        Map<String, Object> live = Map.of("spec", Map.of("template", v2Template));

        var found = ManualRollbacks.find(live, List.of(v3, v2Reused)).orElseThrow();

        assertThat(found.rollBackTo().name()).isEqualTo("rs-v2");
        assertThat(found.toRevision()).isEqualTo(2);
        assertThat(found.commit()).isEqualTo("c2");
        // not yet reused by the controller: an older revision than the newest
        assertThat(ManualRollbacks.find(live, List.of(rs("rs-v2", 2, "", "c2", v2Template), v3))
                        .orElseThrow()
                        .toRevision())
                .isEqualTo(2);
        // a new template (kubectl set image to something new): the newest ReplicaSet, no history → ordinary drift
        assertThat(ManualRollbacks.find(Map.of("spec", Map.of("template", v3Template)), List.of(v3)))
                .isEmpty();
        // a ReplicaSet no commit made (created before Lockstep managed the app) is not Lockstep's to record
        assertThat(ManualRollbacks.find(live, List.of(rs("rs-v2", 4, "2", "", v2Template), v3)))
                .isEmpty();
    }

    private static ReplicaSetInfo rs(
            String name, long revision, String history, String commit, Map<String, Object> template) {
        Map<String, String> annotations = new java.util.HashMap<>();
        if (!history.isEmpty()) {
            annotations.put(MetadataKeys.DEPLOYMENT_REVISION_HISTORY, history);
        }
        if (!commit.isEmpty()) {
            annotations.put(MetadataKeys.COMMIT, commit);
        }
        return new ReplicaSetInfo(name, "uid-" + name, revision, annotations, template, Instant.EPOCH, 3);
    }
}
