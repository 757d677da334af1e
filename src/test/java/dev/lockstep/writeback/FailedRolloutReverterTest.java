package dev.lockstep.writeback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.cluster.ClusterException;
import dev.lockstep.cluster.WriteFence;
import dev.lockstep.git.CommitWriter;
import dev.lockstep.git.GitCredentials;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.git.SecretSource;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.WriteBack;
import dev.lockstep.model.WriteBackTrailers;
import dev.lockstep.testing.GitHttpServer;
import dev.lockstep.testing.GitRepoFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PreReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each guard of the automatic revert, against a real remote. */
class FailedRolloutReverterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    private static final ResourceKey DEPLOYMENT = ResourceKey.of("apps/v1", "Deployment", "hello", "hello-app");

    @TempDir
    Path tmp;

    private GitRepoFixture person;
    private String remote;
    private GitSource git;

    @BeforeEach
    void setUp() {
        remote = GitRepoFixture.bareRemote(tmp.resolve("remote.git"));
        person = GitRepoFixture.create(tmp.resolve("person"));
        git = new GitSource(new RepoSpec(remote, "main"), tmp.resolve("cache"));
    }

    @AfterEach
    void tearDown() {
        git.close();
        person.close();
    }

    private String push(String image, String message) {
        person.write("app/deployment.yaml", "image: " + image + "\n");
        String sha = person.commit(message);
        assertThat(person.push(remote)).isTrue();
        return sha;
    }

    private FailedRollout failed(String sha) throws Exception {
        git.fetch();
        Revision c = git.revision(sha);
        return new FailedRollout(c, DEPLOYMENT, 3, "deployment \"hello-app\" exceeded its progress deadline");
    }

    private FailedRolloutReverter reverter(GitSource source) {
        return reverter(source, WriteFence.OPEN);
    }

    private FailedRolloutReverter reverter(GitSource source, WriteFence fence) {
        return new FailedRolloutReverter(
                "hello",
                source,
                new CommitWriter(source, "Lockstep", "lockstep@example.com", Optional.empty(), CLOCK),
                fence,
                CLOCK);
    }

    /** The branch as the bare repository on disk has it, read without Lockstep's code. */
    private String bareMain() throws Exception {
        try (Git bare = Git.open(tmp.resolve("remote.git").toFile())) {
            return bare.getRepository().resolve("refs/heads/main").name();
        }
    }

    @Test
    void aReplicaThatNoLongerLeadsPushesNothingAndLeavesTheDecisionOpen() throws Exception {
        push("v1", "hello-app v1");
        push("v2", "image v2");
        String v3 = push("v3", "image v3");
        FailedRollout failed = failed(v3);
        AtomicBoolean leading = new AtomicBoolean(false);
        FailedRolloutReverter reverter = reverter(git, WriteFence.of(leading::get));

        assertThatThrownBy(() -> reverter.decide(AppRecord.EMPTY, failed))
                .isInstanceOfSatisfying(
                        ClusterException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessage("push of the revert of " + v3.substring(0, 7)
                        + " not sent: this replica is not the leader (any more)");
        assertThat(git.remoteHead()).as("the bare remote's branch").isEqualTo(v3);
        assertThat(bareMain()).isEqualTo(v3);

        leading.set(true); // it leads again (or another replica decides): the same revert goes out once
        Decision decision = reverter.decide(AppRecord.EMPTY, failed).orElseThrow();
        assertThat(decision.pushed()).contains(git.remoteHead());
        assertThat(git.revision(git.remoteHead()).subject()).isEqualTo("Revert \"image v3\"");
    }

    @Test
    void pushesExactlyOneRevertWithGitsMessageAndTrailersAndRecordsIt() throws Exception {
        push("v1", "hello-app v1");
        push("v2", "image v2");
        String v3 = push("v3", "image v3");
        FailedRollout failed = failed(v3);

        Decision decision = reverter(git).decide(AppRecord.EMPTY, failed).orElseThrow();

        String head = git.remoteHead();
        assertThat(decision.pushed()).contains(head);
        Revision revert = git.revision(head);
        assertThat(revert.subject()).isEqualTo("Revert \"image v3\"");
        assertThat(revert.message()).contains("\n\nThis reverts commit " + v3 + ".\n\n");
        assertThat(WriteBackTrailers.in(revert.message()))
                .containsEntry("Lockstep-Action", "revert-failed-rollout")
                .containsEntry("Lockstep-App", "hello")
                .containsEntry(
                        "Lockstep-Reason",
                        "rollout of " + v3.substring(0, 7) + " failed: Deployment hello/hello-app "
                                + "revision 3: deployment \"hello-app\" exceeded its progress deadline");
        assertThat(revert.author()).isEqualTo("Lockstep");
        assertThat(decision.recorded())
                .isEqualTo(new WriteBack(WriteBack.REVERT_FAILED_ROLLOUT, v3, head, "pushed", CLOCK.instant()));

        // a restarted daemon, or a second replica, reads the record: never a second revert
        AppRecord record = AppRecord.EMPTY.with(decision.recorded());
        assertThat(reverter(git).decide(record, failed)).isEmpty();
        assertThat(git.remoteHead()).isEqualTo(head);
    }

    @Test
    void whenTheHeadMovedTheNewerCommitSupersedesAndNothingIsPushed() throws Exception {
        push("v1", "hello-app v1");
        String v2 = push("v2", "image v2");
        FailedRollout failed = failed(v2);
        String v3 = push("v3", "image v3");

        Decision decision = reverter(git).decide(AppRecord.EMPTY, failed).orElseThrow();

        assertThat(decision.pushed()).isEmpty();
        assertThat(decision.summary())
                .isEqualTo("the branch head moved to " + v3.substring(0, 7) + ": that newer commit supersedes "
                        + v2.substring(0, 7) + "; no revert");
        assertThat(git.remoteHead()).isEqualTo(v3);
    }

    @Test
    void lockstepsOwnRevertIsNeverReverted() throws Exception {
        push("v1", "hello-app v1");
        push("v2", "image v2");
        String v3 = push("v3", "image v3");
        String revert = reverter(git)
                .decide(AppRecord.EMPTY, failed(v3))
                .orElseThrow()
                .pushed()
                .orElseThrow();

        Decision decision =
                reverter(git).decide(AppRecord.EMPTY, failed(revert)).orElseThrow();

        assertThat(decision.pushed()).isEmpty();
        assertThat(decision.summary())
                .contains("is Lockstep's own (revert-failed-rollout): a revert is never reverted");
        assertThat(git.remoteHead()).isEqualTo(revert);
    }

    @Test
    void aRevertThatDoesNotApplyCleanlyPushesNothingAndSaysWhy() throws Exception {
        push("v1", "hello-app v1");
        String merge = person.mergeFromSideBranch("app/deployment.yaml", "image: v2\n", "Merge image v2");
        person.push(remote);

        Decision decision = reverter(git).decide(AppRecord.EMPTY, failed(merge)).orElseThrow();

        assertThat(decision.pushed()).isEmpty();
        assertThat(decision.summary())
                .isEqualTo("the revert of " + merge.substring(0, 7) + " does not apply cleanly; nothing pushed");
        assertThat(git.remoteHead()).isEqualTo(merge);
    }

    /** Lockstep's decision about the failed v3 when it talks to the remote over smart HTTP, behind this hook. */
    private Decision decideOverHttp(String v3, PreReceiveHook hook) throws Exception {
        try (Repository bare = Git.open(tmp.resolve("remote.git").toFile()).getRepository();
                GitHttpServer server = GitHttpServer.start(bare)) {
            server.setPassword(GitCredentials.TOKEN_USERNAME, "t0ken");
            server.preReceive(hook);
            Path token = Files.writeString(tmp.resolve("token"), "t0ken");
            String url = "http://127.0.0.1:" + server.port() + "/remote.git";
            try (GitSource http = new GitSource(
                    new RepoSpec(url, "main", GitCredentials.token(SecretSource.file(token))),
                    tmp.resolve("http-cache"))) {
                http.fetch();
                return reverter(http)
                        .decide(AppRecord.EMPTY, new FailedRollout(http.revision(v3), DEPLOYMENT, 3, "deadline"))
                        .orElseThrow();
            }
        }
    }

    @Test
    void aRefusedPushIsNeverForcedAndIsDecidedAgainAfterAFetch() throws Exception {
        push("v1", "hello-app v1");
        push("v2", "image v2");
        String v3 = push("v3", "image v3");

        Decision decision = decideOverHttp(
                v3,
                (pack, commands) -> commands.forEach(c -> c.setResult(
                        ReceiveCommand.Result.REJECTED_OTHER_REASON, "protected branch: pull requests only")));

        assertThat(decision.pushed()).isEmpty();
        assertThat(decision.summary())
                .startsWith("the push of the revert of " + v3.substring(0, 7) + " was refused (")
                .contains("protected branch: pull requests only")
                .endsWith("); nothing forced");
        assertThat(git.remoteHead()).isEqualTo(v3);
        assertThat(decision.recorded().target()).isEqualTo(v3);
    }

    @Test
    void aPushRefusedBecauseSomeonePushedFirstEndsInNoRevert() throws Exception {
        push("v1", "hello-app v1");
        push("v2", "image v2");
        String v3 = push("v3", "image v3");
        AtomicBoolean raced = new AtomicBoolean();

        Decision decision = decideOverHttp(v3, (pack, commands) -> {
            if (raced.compareAndSet(false, true)) { // a person's push lands just before Lockstep's
                person.write("app/deployment.yaml", "image: v4\n").commit("image v4");
                person.push(remote);
            }
            commands.forEach(c -> c.setResult(ReceiveCommand.Result.REJECTED_NONFASTFORWARD));
        });

        assertThat(decision.pushed()).isEmpty();
        assertThat(decision.summary())
                .contains("the branch head moved to")
                .contains("supersedes " + v3.substring(0, 7));
    }
}
